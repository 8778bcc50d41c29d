package io.github.etcdspring.format.polyglot;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Writes JSON byte for byte as Go's {@code encoding/json} {@code Marshal} does: struct
 * fields in the order they are written, a nil map as {@code null}, map keys sorted by
 * their UTF-8 bytes, no whitespace; in strings {@code <}, {@code >}, {@code &}, U+2028
 * and U+2029 as six-character unicode escapes (backslash, {@code u}, four lowercase hex
 * digits), control characters as {@code \n}, {@code \r}, {@code \t}, {@code \b},
 * {@code \f} (Go 1.22 and later) or unicode escapes; and a {@code float64} in Go's
 * shortest form ({@code 100}, {@code 0.5}, {@code 1e+21}).
 *
 * @author etcd-spring-boot contributors
 */
final class GoJsonWriter {

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private final StringBuilder json = new StringBuilder("{");

	GoJsonWriter string(String name, String value) {
		return name(name).quote(value);
	}

	GoJsonWriter number(String name, long value) {
		name(name).json.append(value);
		return this;
	}

	GoJsonWriter float64(String name, double value) {
		name(name).json.append(goFloat(value));
		return this;
	}

	GoJsonWriter bool(String name, boolean value) {
		name(name).json.append(value);
		return this;
	}

	/**
	 * A Go {@code map[string]string}.
	 * @param name the field
	 * @param map the map, {@code null} for a nil map
	 * @return this writer
	 */
	GoJsonWriter map(String name, @Nullable Map<String, String> map) {
		name(name);
		if (map == null) {
			this.json.append("null");
			return this;
		}
		this.json.append('{');
		String[] keys = map.keySet().toArray(String[]::new);
		Arrays.sort(keys, (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
				b.getBytes(StandardCharsets.UTF_8)));
		for (int i = 0; i < keys.length; i++) {
			if (i > 0) {
				this.json.append(',');
			}
			quote(keys[i]).json.append(':');
			quote(map.get(keys[i]));
		}
		this.json.append('}');
		return this;
	}

	GoJsonWriter strings(String name, List<String> values) {
		name(name).json.append('[');
		for (int i = 0; i < values.size(); i++) {
			if (i > 0) {
				this.json.append(',');
			}
			quote(values.get(i));
		}
		this.json.append(']');
		return this;
	}

	GoJsonWriter nullValue(String name) {
		name(name).json.append("null");
		return this;
	}

	byte[] toBytes() {
		return toString().getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		return this.json + "}";
	}

	private GoJsonWriter name(String name) {
		if (this.json.length() > 1) {
			this.json.append(',');
		}
		quote(name).json.append(':');
		return this;
	}

	private GoJsonWriter quote(String value) {
		this.json.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"', '\\' -> this.json.append('\\').append(c);
				case '\n' -> this.json.append("\\n");
				case '\r' -> this.json.append("\\r");
				case '\t' -> this.json.append("\\t");
				case '\b' -> this.json.append("\\b");
				case '\f' -> this.json.append("\\f");
				case '<', '>', '&', '\u2028', '\u2029' -> unicodeEscape(c);
				default -> {
					if (c < 0x20) {
						unicodeEscape(c);
					}
					else if (Character.isSurrogate(c) && !isPair(value, i)) {
						// Go writes invalid UTF-8 as the replacement character
						this.json.append("\\ufffd");
					}
					else {
						this.json.append(c);
						if (Character.isHighSurrogate(c)) {
							this.json.append(value.charAt(++i));
						}
					}
				}
			}
		}
		this.json.append('"');
		return this;
	}

	private static boolean isPair(String value, int i) {
		return Character.isHighSurrogate(value.charAt(i)) && i + 1 < value.length()
				&& Character.isLowSurrogate(value.charAt(i + 1));
	}

	private void unicodeEscape(char c) {
		this.json.append("\\u")
			.append(HEX[c >> 12 & 0xf])
			.append(HEX[c >> 8 & 0xf])
			.append(HEX[c >> 4 & 0xf])
			.append(HEX[c & 0xf]);
	}

	/**
	 * A {@code float64} as Go's {@code encoding/json} writes it: the shortest decimal
	 * that reads back to the same value, in plain notation from 1e-6 up to 1e21 and in
	 * exponent notation ({@code 1e+21}, {@code 1e-7}) beyond. The digits are those of
	 * {@link Double#toString(double)}, which Java 17 does not always make the shortest
	 * (JDK-4511638, fixed in Java 19); whole numbers, the weights written, are exact.
	 * @param value a finite value
	 * @return the text
	 */
	static String goFloat(double value) {
		if (!Double.isFinite(value)) {
			throw new IllegalArgumentException("Go's encoding/json cannot write " + value);
		}
		if (value == 0) {
			return (1 / value < 0) ? "-0" : "0";
		}
		BigDecimal shortest = new BigDecimal(Double.toString(value)).stripTrailingZeros();
		double magnitude = Math.abs(value);
		if (magnitude >= 1e-6 && magnitude < 1e21) {
			return shortest.toPlainString();
		}
		int exponent = shortest.precision() - shortest.scale() - 1;
		String digits = shortest.unscaledValue().abs().toString();
		String mantissa = (digits.length() == 1) ? digits : digits.charAt(0) + "." + digits.substring(1);
		return ((value < 0) ? "-" : "") + mantissa + "e" + ((exponent < 0) ? "-" : "+") + Math.abs(exponent);
	}

}
