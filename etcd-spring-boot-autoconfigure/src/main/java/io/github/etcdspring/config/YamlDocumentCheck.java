package io.github.etcdspring.config;

import java.io.StringReader;
import java.util.List;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Checks a YAML document against {@code etcd.config.limits.*} before Spring Boot's
 * loader, which is meant for trusted local files, expands it: a few aliases can make
 * billions of properties ("billion laughs"), and a list that contains itself never ends.
 * The document's node graph is composed with SnakeYAML's own limits, then walked as the
 * loader will flatten it, alias by alias, counting properties and measuring nesting and
 * names, stopping at the first limit exceeded.
 *
 * @author etcd-spring-boot contributors
 */
final class YamlDocumentCheck {

	private final String key;

	private final DocumentLimits limits;

	private int properties;

	private YamlDocumentCheck(String key, DocumentLimits limits) {
		this.key = key;
		this.limits = limits;
	}

	/**
	 * Check a document.
	 * @param key the etcd key holding it, for errors
	 * @param text the document
	 * @param limits the limits
	 * @throws MalformedConfigurationException when a limit is exceeded
	 * @throws org.yaml.snakeyaml.error.MarkedYAMLException when the document is not valid
	 * YAML
	 */
	static void check(String key, String text, DocumentLimits limits) {
		LoaderOptions options = new LoaderOptions();
		options.setMaxAliasesForCollections(limits.maxAliases());
		// beyond the walk's limit, which names the line, but still bounding the
		// composer's recursion
		options.setNestingDepthLimit((int) Math.min(Integer.MAX_VALUE, 2L * limits.maxDepth()));
		options.setCodePointLimit(limits.maxDocumentSize());
		options.setAllowRecursiveKeys(false);
		YamlDocumentCheck check = new YamlDocumentCheck(key, limits);
		try {
			for (Node document : new Yaml(options).composeAll(new StringReader(text))) {
				check.walk(document, 1, 0);
			}
		}
		catch (YAMLException ex) {
			throw check.limitOf(ex);
		}
	}

	/**
	 * Visit a node as Spring Boot's flattening will, once per path that reaches it.
	 */
	private void walk(Node node, int depth, int nameLength) {
		if (nameLength > this.limits.maxNameLength()) {
			throw this.limits.nameTooLong(this.key, lineOf(node));
		}
		if (node instanceof MappingNode mapping && !mapping.getValue().isEmpty()) {
			checkDepth(node, depth);
			for (NodeTuple entry : mapping.getValue()) {
				if (!(entry.getKeyNode() instanceof ScalarNode name)) {
					throw new MalformedConfigurationException(this.key, lineOf(entry.getKeyNode()),
							"a key must be a plain value, not a list or a map");
				}
				walk(entry.getValueNode(), depth + 1,
						nameLength + ((nameLength > 0) ? 1 : 0) + name.getValue().length());
			}
		}
		else if (node instanceof SequenceNode sequence && !sequence.getValue().isEmpty()) {
			checkDepth(node, depth);
			List<Node> items = sequence.getValue();
			for (int index = 0; index < items.size(); index++) {
				walk(items.get(index), depth + 1, nameLength + 2 + String.valueOf(index).length());
			}
		}
		else if (++this.properties > this.limits.maxProperties()) {
			throw this.limits.tooManyProperties(this.key, lineOf(node));
		}
	}

	private void checkDepth(Node node, int depth) {
		if (depth > this.limits.maxDepth()) {
			throw this.limits.tooDeep(this.key, lineOf(node));
		}
	}

	/**
	 * SnakeYAML's limits of composition, which name neither the limit's property nor a
	 * line.
	 */
	private RuntimeException limitOf(YAMLException ex) {
		String message = String.valueOf(ex.getMessage());
		if (message.startsWith("Number of aliases")) {
			return this.limits.tooManyAliases(this.key, 0);
		}
		if (message.startsWith("Nesting Depth")) {
			return this.limits.tooDeep(this.key, 0);
		}
		return ex;
	}

	private static int lineOf(Node node) {
		return (node.getStartMark() != null) ? node.getStartMark().getLine() + 1 : 0;
	}

}
