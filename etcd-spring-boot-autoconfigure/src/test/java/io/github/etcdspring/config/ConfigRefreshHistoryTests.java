package io.github.etcdspring.config;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ConfigRefreshHistoryTests {

	@Test
	void keepsTheLastEntriesAndCountsEveryOutcome() {
		ConfigRefreshHistory history = new ConfigRefreshHistory(2);
		history.record(entry(1, ConfigRefreshHistory.Outcome.REFRESHED, Set.of("a")));
		history.record(entry(2, ConfigRefreshHistory.Outcome.UNCHANGED, Set.of("b")));
		history.record(entry(3, ConfigRefreshHistory.Outcome.REFRESHED, Set.of("c")));
		assertThat(history.entries()).extracting(ConfigRefreshHistory.Entry::revision).containsExactly(2L, 3L);
		assertThat(history.count(ConfigRefreshHistory.Outcome.REFRESHED)).isEqualTo(2);
		assertThat(history.count(ConfigRefreshHistory.Outcome.UNCHANGED)).isOne();
		assertThat(history.count(ConfigRefreshHistory.Outcome.FAILED)).isZero();
	}

	@Test
	void anEntryNamesTheFirstHundredKeysInOrderAndCountsThemAll() {
		Set<String> keys = IntStream.range(0, 150)
			.mapToObj((i) -> String.format("config/application/key%03d", i))
			.collect(Collectors.toSet());
		ConfigRefreshHistory.Entry entry = entry(1, ConfigRefreshHistory.Outcome.REFRESHED, keys);
		assertThat(entry.changedKeys()).hasSize(100).isSorted().startsWith("config/application/key000");
		assertThat(entry.changedKeyCount()).isEqualTo(150);
	}

	@Test
	void aSizeOutOfRangeIsRejectedNamingTheProperty() {
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> new ConfigRefreshHistory(0))
			.withMessageContaining("etcd.config.watch.history-size");
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> new ConfigRefreshHistory(1001))
			.withMessageContaining("etcd.config.watch.history-size");
	}

	private static ConfigRefreshHistory.Entry entry(long revision, ConfigRefreshHistory.Outcome outcome,
			Set<String> keys) {
		return new ConfigRefreshHistory.Entry(Instant.now(), revision, EtcdConfigProperties.RefreshMode.IN_PLACE,
				outcome, Duration.ZERO, keys, keys);
	}

}
