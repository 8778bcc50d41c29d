package io.github.etcdspring.discovery;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.etcd.jetcd.ByteSequence;
import io.github.etcdspring.format.JsonServiceInstanceCodec;
import io.github.etcdspring.format.NativeKeyLayout;
import io.github.etcdspring.format.RegistryFormat;
import io.github.etcdspring.format.RegistryKeyLayout;
import io.github.etcdspring.format.polyglot.PolyglotFormat;
import io.github.etcdspring.watch.KeyRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CatalogFormatsTests {

	private static final RegistryFormat NATIVE = RegistryFormat.of(new NativeKeyLayout("services"),
			new JsonServiceInstanceCodec());

	@Test
	void threeFormatsAtTheRootAndFiveUnderPrefixesAreReadAsTheWholeKeyspace() {
		CatalogFormats formats = read(Map.of("native", NATIVE), PolyglotFormat.values());
		assertThat(formats.ranges()).containsExactly(KeyRange.prefix(bytes("")));
		assertThat(formats.ranges().get(0).start()).isEqualTo(ByteSequence.from(new byte[] { 0 }));
		assertThat(formats.ranges().get(0).end()).as("\\0: up to the end of the keyspace")
			.isEqualTo(ByteSequence.from(new byte[] { 0 }));
	}

	@Test
	void rangesThatDoNotMeetStaySeparateAndNestedOnesMerge() {
		CatalogFormats formats = read(Map.of("native", NATIVE), PolyglotFormat.KITEX, PolyglotFormat.GOKIT,
				PolyglotFormat.GO_CORE);
		assertThat(formats.ranges()).extracting((range) -> text(range.key()))
			.containsExactly("/go-core/services/", "/services/", "kitex/registry-etcd/", "services/");
		assertThat(CatalogFormats.distinct(List.of(KeyRange.prefix(bytes("a/b/")), KeyRange.prefix(bytes("a/")),
				new KeyRange(bytes("a/c"), false), KeyRange.prefix(bytes("a/")), KeyRange.prefix(bytes("b/")))))
			.containsExactly(KeyRange.prefix(bytes("a/")), KeyRange.prefix(bytes("b/")));
	}

	@Test
	void aKeyBelongsToTheFormatThatParsesItUnderTheLongestPrefix() {
		CatalogFormats formats = read(Map.of("native", NATIVE), PolyglotFormat.values());
		assertThat(names(formats, "services/echo/10.0.0.5:8080")).as("not a gRPC naming target 'services/echo'")
			.containsExactly("native");
		assertThat(names(formats, "kitex/registry-etcd/echo/192.168.1.10:8888")).containsExactly("kitex");
		assertThat(names(formats, "foo/bar/my-service/10.0.0.5:50051")).containsExactly("grpc-naming");
		assertThat(names(formats, "user-center-192.168.1.10:9090")).containsExactly("gone");
		assertThat(names(formats, "user.rpc/7587862073213417490")).as("both parse it: the codec decides")
			.containsExactlyInAnyOrder("grpc-naming", "go-zero");
		assertThat(names(formats, "config/application")).as("other data at the root: nobody's")
			.containsExactly("grpc-naming");
		assertThat(names(formats, "plain")).isEmpty();
	}

	@Test
	void aKeyOfAFormatNotReadIsNobodysEvenForAFormatAtTheRoot() {
		Map<String, RegistryFormat> read = Map.of("grpc-naming", PolyglotFormat.GRPC_NAMING.create(""));
		CatalogFormats formats = new CatalogFormats(read,
				List.of(NATIVE.layout(), PolyglotFormat.KITEX.create("kitex/registry-etcd").layout()));
		assertThat(names(formats, "services/echo/10.0.0.5:8080")).isEmpty();
		assertThat(names(formats, "kitex/registry-etcd/echo/192.168.1.10:8888")).isEmpty();
		assertThat(formats.ownerOf(bytes("services/echo/10.0.0.5:8080"))).isNull();
		assertThat(names(formats, "foo/bar/my-service/10.0.0.5:50051")).containsExactly("grpc-naming");
	}

	@Test
	void onlyAKeyUnderAFormatsOwnPrefixThatItCannotParseHasAnOwnerToWarnAbout() {
		CatalogFormats formats = read(Map.of("native", NATIVE), PolyglotFormat.GRPC_NAMING, PolyglotFormat.GO_ZERO);
		assertThat(names(formats, "services/no-instance-part")).as("a native key is never a gRPC naming entry")
			.isEmpty();
		assertThat(formats.ownerOf(bytes("services/no-instance-part"))).isEqualTo("native");
		assertThat(formats.ownerOf(bytes("plain"))).as("other data at the root").isNull();
	}

	private static CatalogFormats read(Map<String, RegistryFormat> first, PolyglotFormat... formats) {
		Map<String, RegistryFormat> read = new LinkedHashMap<>(first);
		for (PolyglotFormat format : formats) {
			read.put(format.formatName(), format.create(format.defaultPrefix()));
		}
		return new CatalogFormats(read, List.<RegistryKeyLayout>of());
	}

	private static List<String> names(CatalogFormats formats, String key) {
		return formats.candidates(bytes(key)).stream().map(CatalogFormats.Candidate::name).toList();
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

	private static String text(ByteSequence bytes) {
		return bytes.toString(StandardCharsets.UTF_8);
	}

}
