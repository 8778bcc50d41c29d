package io.github.etcdspring.config;

import java.util.Collections;

/**
 * Small YAML documents that take a naive loader down: the cases an application must
 * survive when they are written to etcd.
 */
final class HostileDocuments {

	/**
	 * A list that contains itself: flattening it never ends.
	 */
	static final String RECURSIVE_ALIAS = "sample:\n  message: ok\n  tags: &x [*x]\n";

	/**
	 * "Billion laughs": under 1 KB, ten levels of nine aliases each expand to 9^10
	 * values.
	 */
	static final String ALIAS_BOMB = aliasBomb();

	private HostileDocuments() {
	}

	private static String aliasBomb() {
		StringBuilder yaml = new StringBuilder("sample:\n  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
		for (int level = 1; level < 10; level++) {
			String alias = "*l" + (level - 1);
			yaml.append("  l").append(level).append(": &l").append(level).append(" [");
			yaml.append(String.join(", ", Collections.nCopies(9, alias))).append("]\n");
		}
		return yaml.toString();
	}

}
