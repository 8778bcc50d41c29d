package io.github.etcdspring.discovery;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.etcd.jetcd.ByteSequence;
import io.github.etcdspring.format.RegistryFormat;
import io.github.etcdspring.format.RegistryKeyLayout;
import io.github.etcdspring.format.RegistryKeyLayout.InstanceKey;
import io.github.etcdspring.watch.KeyRange;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The registry formats the catalog reads ({@code etcd.discovery.formats}): the fewest key
 * ranges that hold all of them, and which format a key of those ranges belongs to.
 * <p>
 * Prefix ranges either nest or do not meet, so the ranges to read are those of the
 * formats that no other format's range holds: three formats at the root of the keyspace
 * make one range, the whole keyspace. A key belongs to the format whose layout parses it
 * under the longest prefix: {@code services/echo/10.0.0.5:8080} is a native key even
 * though etcd's gRPC naming, at the root, would read it as target {@code services/echo}.
 * The formats that are known but not read take part in that choice, so that a key of
 * theirs is skipped silently instead of being read, or warned about, by a root format.
 * Formats that parse a key under prefixes of the same length (go-zero and gRPC naming at
 * the root both parse {@code user.rpc/7587862073213417490}) are all candidates: the first
 * whose codec reads the value wins.
 *
 * @author etcd-spring-boot contributors
 */
public final class CatalogFormats {

	/** The name of the starter's own format. */
	public static final String NATIVE = "native";

	private final Map<String, RegistryFormat> read;

	private final List<RegistryKeyLayout> others;

	private final List<KeyRange> ranges;

	/**
	 * The formats to read, and the layouts of the other formats known.
	 * @param read the formats read, by name, in the order candidates are tried
	 * @param others the layouts of formats not read, whose keys are skipped silently
	 */
	public CatalogFormats(Map<String, RegistryFormat> read, Collection<RegistryKeyLayout> others) {
		Assert.notEmpty(read, "At least one format is read");
		this.read = new LinkedHashMap<>(read);
		this.others = List.copyOf(others);
		this.ranges = distinct(
				this.read.values().stream().flatMap((format) -> format.layout().catalogRanges().stream()).toList());
	}

	/**
	 * The starter's own format alone.
	 * @param format the format
	 * @return the formats
	 */
	public static CatalogFormats nativeOnly(RegistryFormat format) {
		return new CatalogFormats(Map.of(NATIVE, format), List.of());
	}

	/**
	 * The names of the formats read.
	 * @return the names, in the order candidates are tried
	 */
	public Set<String> names() {
		return Collections.unmodifiableSet(this.read.keySet());
	}

	/**
	 * The fewest ranges that hold every range of the formats read.
	 * @return the ranges, sorted by key
	 */
	public List<KeyRange> ranges() {
		return this.ranges;
	}

	/**
	 * The formats read that may hold a key, in the order to try them: those whose layout
	 * parses it under the longest prefix that any format known has for it.
	 * @param key a key of the ranges
	 * @return the candidates: empty when no format read parses the key under that prefix,
	 * for example when it belongs to a format not read
	 */
	List<Candidate> candidates(ByteSequence key) {
		String text = key.toString(StandardCharsets.UTF_8);
		int longest = longestPrefix(text);
		List<Candidate> candidates = new ArrayList<>();
		this.read.forEach((name, format) -> {
			if (matchedPrefixLength(format.layout(), text) == longest) {
				InstanceKey parsed = format.layout().parse(key);
				if (parsed != null) {
					candidates.add(new Candidate(name, format, parsed));
				}
			}
		});
		return candidates;
	}

	/**
	 * The format read that owns a key by its prefix, when that prefix is not the root of
	 * the keyspace: a key there that its layout cannot parse is worth a warning, whereas
	 * a key at the root that no root format parses is just other data.
	 * @param key the key
	 * @return the format's name, or {@code null}
	 */
	@Nullable String ownerOf(ByteSequence key) {
		String text = key.toString(StandardCharsets.UTF_8);
		int longest = longestPrefix(text);
		if (longest <= 0) {
			return null;
		}
		for (Map.Entry<String, RegistryFormat> entry : this.read.entrySet()) {
			if (matchedPrefixLength(entry.getValue().layout(), text) == longest) {
				return entry.getKey();
			}
		}
		return null;
	}

	private int longestPrefix(String key) {
		int longest = -1;
		for (RegistryFormat format : this.read.values()) {
			longest = Math.max(longest, matchedPrefixLength(format.layout(), key));
		}
		for (RegistryKeyLayout layout : this.others) {
			longest = Math.max(longest, matchedPrefixLength(layout, key));
		}
		return longest;
	}

	/**
	 * Where the formats read live, for the logs.
	 * @return e.g. {@code native at 'services/', kitex at 'kitex/registry-etcd/'}
	 */
	@Override
	public String toString() {
		return this.read.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + " at '" + entry.getValue().layout() + "'")
			.collect(Collectors.joining(", "));
	}

	/**
	 * The fewest ranges holding the given ones: prefixes either nest or do not meet, so
	 * those held by another are dropped.
	 * @param ranges the ranges
	 * @return the distinct ranges, sorted by key
	 */
	static List<KeyRange> distinct(Collection<KeyRange> ranges) {
		List<KeyRange> sorted = ranges.stream()
			.distinct()
			.sorted(Comparator.comparing(KeyRange::key, CatalogFormats::compareBytes)
				.thenComparing((range) -> !range.prefix()))
			.toList();
		List<KeyRange> kept = new ArrayList<>();
		for (KeyRange range : sorted) {
			// sorted, so a range holding this one is the last kept (or holds it too)
			if (kept.isEmpty() || !holds(kept.get(kept.size() - 1), range)) {
				kept.add(range);
			}
		}
		return List.copyOf(kept);
	}

	private static boolean holds(KeyRange outer, KeyRange inner) {
		return outer.prefix() ? inner.key().startsWith(outer.key()) : outer.equals(inner);
	}

	private static int compareBytes(ByteSequence left, ByteSequence right) {
		byte[] a = left.getBytes();
		byte[] b = right.getBytes();
		return Arrays.compareUnsigned(a, b);
	}

	/**
	 * The length of the longest catalogue prefix of a layout that a key starts with.
	 */
	private static int matchedPrefixLength(RegistryKeyLayout layout, String key) {
		int longest = -1;
		for (KeyRange range : layout.catalogRanges()) {
			String start = range.key().toString(StandardCharsets.UTF_8);
			boolean matches = range.prefix() ? key.startsWith(start) : key.equals(start);
			if (matches) {
				longest = Math.max(longest, start.length());
			}
		}
		return longest;
	}

	/**
	 * A format read that parses a key.
	 *
	 * @param name the format's name
	 * @param format the format
	 * @param key what its layout reads in the key
	 */
	record Candidate(String name, RegistryFormat format, InstanceKey key) {
	}

}
