package io.github.etcdspring.config;

import java.nio.charset.StandardCharsets;

/**
 * Prepares a {@code .properties} document for Spring Boot's loader, which reads files as
 * ISO-8859-1 and reports neither lines nor limits: checks escapes, key lengths and the
 * number of properties line by line (a key ending in {@code []} makes one property per
 * comma), and writes the characters beyond ASCII as {@code \\uxxxx} escapes, so that the
 * UTF-8 text that {@link EtcdConfigOperations} wrote reads back unchanged.
 *
 * @author etcd-spring-boot contributors
 */
final class PropertiesDocuments {

	private final String key;

	private final DocumentLimits limits;

	private int properties;

	private PropertiesDocuments(String key, DocumentLimits limits) {
		this.key = key;
		this.limits = limits;
	}

	/**
	 * Check a document and write it for Spring Boot's loader.
	 * @param key the etcd key holding it, for errors
	 * @param text the document
	 * @param limits the limits
	 * @return the document in ASCII, meaning what the text means
	 * @throws MalformedConfigurationException naming the line of a malformed escape or of
	 * an exceeded limit
	 */
	static byte[] prepare(String key, String text, DocumentLimits limits) {
		new PropertiesDocuments(key, limits).check(text);
		return escapeBeyondAscii(text).getBytes(StandardCharsets.US_ASCII);
	}

	private void check(String text) {
		String[] lines = text.split("\r?\n|\r", -1);
		StringBuilder logicalLine = new StringBuilder();
		int firstLine = 0;
		boolean continued = false;
		for (int number = 1; number <= lines.length; number++) {
			String line = lines[number - 1];
			String content = line.stripLeading();
			boolean comment = !continued && (content.startsWith("#") || content.startsWith("!"));
			if (comment) {
				continue;
			}
			checkUnicodeEscapes(line, number);
			if (!continued) {
				firstLine = number;
				logicalLine.setLength(0);
			}
			continued = endsWithContinuation(line);
			logicalLine.append(continued ? content.substring(0, content.length() - 1) : content);
			if (!continued) {
				checkProperty(logicalLine, firstLine);
			}
		}
	}

	/**
	 * The key ends at the first separator that is not escaped; a key ending in {@code []}
	 * is a list whose comma-separated values each become a property.
	 */
	private void checkProperty(CharSequence line, int number) {
		if (line.isEmpty()) {
			return;
		}
		int end = 0;
		while (end < line.length() && " \t\f=:".indexOf(line.charAt(end)) < 0) {
			end += (line.charAt(end) == '\\') ? 2 : 1;
		}
		int keyLength = Math.min(end, line.length());
		if (keyLength > this.limits.maxNameLength()) {
			throw this.limits.nameTooLong(this.key, number);
		}
		int count = 1;
		if (keyLength >= 2 && line.charAt(keyLength - 2) == '[' && line.charAt(keyLength - 1) == ']') {
			for (int i = keyLength; i < line.length(); i++) {
				if (line.charAt(i) == '\\') {
					i++;
				}
				else if (line.charAt(i) == ',') {
					count++;
				}
			}
		}
		this.properties += count;
		if (this.properties > this.limits.maxProperties()) {
			throw this.limits.tooManyProperties(this.key, number);
		}
	}

	/**
	 * Spring's properties loader rejects a bad {@code \\u} escape without saying where;
	 * find the line ourselves.
	 */
	private void checkUnicodeEscapes(String line, int number) {
		for (int i = 0; i < line.length() - 1; i++) {
			if (line.charAt(i) == '\\') {
				if (line.charAt(i + 1) == 'u' && !isHex(line, i + 2, 4)) {
					throw new MalformedConfigurationException(this.key, number,
							"malformed \\uxxxx escape (four hexadecimal digits expected)");
				}
				i++;
			}
		}
	}

	/**
	 * A character beyond ASCII becomes its {@code \\uxxxx} escape; one escaped by a
	 * backslash means itself, so the backslash goes.
	 */
	private static String escapeBeyondAscii(String text) {
		if (text.chars().allMatch((character) -> character < 0x80)) {
			return text;
		}
		StringBuilder escaped = new StringBuilder(text.length() + 64);
		int backslashes = 0;
		for (int i = 0; i < text.length(); i++) {
			char character = text.charAt(i);
			if (character < 0x80) {
				escaped.append(character);
				backslashes = (character == '\\') ? backslashes + 1 : 0;
				continue;
			}
			if (backslashes % 2 == 1) {
				escaped.setLength(escaped.length() - 1);
			}
			escaped.append(String.format("\\u%04x", (int) character));
			backslashes = 0;
		}
		return escaped.toString();
	}

	private static boolean endsWithContinuation(String line) {
		int backslashes = 0;
		for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
			backslashes++;
		}
		return backslashes % 2 == 1;
	}

	private static boolean isHex(String text, int start, int count) {
		if (start + count > text.length()) {
			return false;
		}
		for (int i = start; i < start + count; i++) {
			if (Character.digit(text.charAt(i), 16) < 0) {
				return false;
			}
		}
		return true;
	}

}
