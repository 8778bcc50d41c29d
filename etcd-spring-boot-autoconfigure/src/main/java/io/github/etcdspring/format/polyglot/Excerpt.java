package io.github.etcdspring.format.polyglot;

/**
 * A short, printable excerpt of untrusted text for an error message.
 *
 * @author etcd-spring-boot contributors
 */
final class Excerpt {

	private static final int MAX_LENGTH = 40;

	private Excerpt() {
	}

	/**
	 * Quote the start of a text, control characters replaced by '?'.
	 * @param text the text
	 * @return {@code 'text'}, or {@code 'start...'} when longer than 40 characters
	 */
	static String of(String text) {
		String start = (text.length() > MAX_LENGTH) ? text.substring(0, MAX_LENGTH) : text;
		StringBuilder quoted = new StringBuilder("'");
		start.chars().forEach((c) -> quoted.append(Character.isISOControl(c) ? '?' : (char) c));
		return quoted.append((text.length() > MAX_LENGTH) ? "...'" : "'").toString();
	}

}
