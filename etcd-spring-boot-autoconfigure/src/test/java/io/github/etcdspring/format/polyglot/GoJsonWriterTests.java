package io.github.etcdspring.format.polyglot;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class GoJsonWriterTests {

	@ParameterizedTest(name = "{0} is {1}")
	@CsvSource({ "100, 100", "1.0, 1", "0.5, 0.5", "2.25, 2.25", "123456789, 123456789", "0.0000015, 0.0000015",
			"0.000001, 0.000001", "0.0000001, 1e-7", "1e20, 100000000000000000000", "1e21, 1e+21", "1.5e300, 1.5e+300",
			"-0.5, -0.5", "0, 0" })
	void floatsAreWrittenInGosShortestForm(double value, String expected) {
		assertThat(GoJsonWriter.goFloat(value)).isEqualTo(expected);
	}

	@Test
	void nonFiniteFloatsCannotBeWritten() {
		assertThatIllegalArgumentException().isThrownBy(() -> GoJsonWriter.goFloat(Double.NaN));
	}

	@Test
	void stringsAreEscapedAsGoEscapesThem() {
		String written = new GoJsonWriter().string("s", "a\"b\\c\n\r\t\b\f\u0000\u001f<>&\u2028\u2029é😀\u007f")
			.toString();
		assertThat(written).isEqualTo("{\"s\":\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0000\\u001f\\u003c\\u003e\\u0026"
				+ "\\u2028\\u2029é😀\u007f\"}");
	}

	@Test
	void loneSurrogatesAreWrittenAsTheReplacementCharacter() {
		assertThat(new GoJsonWriter().string("s", "a\ud800b").toString()).isEqualTo("{\"s\":\"a\\ufffdb\"}");
	}

	@Test
	void mapKeysAreSortedByTheirUtf8BytesAndNilMapsAreNull() {
		Map<String, String> map = new LinkedHashMap<>();
		map.put("\uff5e", "fullwidth");
		map.put("😀", "emoji");
		map.put("b", "2");
		map.put("a", "1");
		assertThat(new GoJsonWriter().map("m", map).map("n", null).strings("l", List.of("x", "y")).toString())
			.isEqualTo("{\"m\":{\"a\":\"1\",\"b\":\"2\",\"\uff5e\":\"fullwidth\",\"😀\":\"emoji\"},\"n\":null,"
					+ "\"l\":[\"x\",\"y\"]}");
	}

}
