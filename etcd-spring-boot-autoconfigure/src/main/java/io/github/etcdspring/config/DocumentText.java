package io.github.etcdspring.config;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The text of a configuration document: UTF-8, as {@link EtcdConfigOperations} writes it,
 * and no larger than {@code etcd.config.limits.max-document-size}. Bytes that are not
 * UTF-8 are reported, not replaced.
 *
 * @author etcd-spring-boot contributors
 */
final class DocumentText {

	private static final char BYTE_ORDER_MARK = '\uFEFF';

	private DocumentText() {
	}

	/**
	 * Decode a document.
	 * @param key the etcd key holding it, for errors
	 * @param content the document
	 * @param limits the limits
	 * @return the text, without a byte order mark
	 * @throws MalformedConfigurationException when the document is too large or not
	 * UTF-8, naming the line
	 */
	static String decode(String key, byte[] content, DocumentLimits limits) {
		if (content.length > limits.maxDocumentSize()) {
			throw limits.documentTooLarge(key, content.length);
		}
		CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
			.onMalformedInput(CodingErrorAction.REPORT)
			.onUnmappableCharacter(CodingErrorAction.REPORT);
		ByteBuffer in = ByteBuffer.wrap(content);
		CharBuffer out = CharBuffer.allocate(content.length);
		CoderResult result = decoder.decode(in, out, true);
		if (!result.isError()) {
			result = decoder.flush(out);
		}
		if (result.isError()) {
			throw new MalformedConfigurationException(key, lineAt(content, in.position()),
					"the document is not valid UTF-8 (byte " + (in.position() + 1) + ")");
		}
		out.flip();
		if (out.hasRemaining() && out.charAt(0) == BYTE_ORDER_MARK) {
			out.get();
		}
		return out.toString();
	}

	private static int lineAt(byte[] content, int position) {
		int line = 1;
		for (int i = 0; i < position; i++) {
			if (content[i] == '\n') {
				line++;
			}
		}
		return line;
	}

}
