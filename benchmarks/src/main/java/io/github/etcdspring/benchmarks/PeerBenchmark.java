package io.github.etcdspring.benchmarks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * This starter side by side with its peer, Spring Cloud Zookeeper (against Debian's
 * ZooKeeper server), and with the floor of each store (plain jetcd, the plain ZooKeeper
 * client), in one run: the same probe application ({@code peer.ProbeApplication}), the
 * same measuring code and the same settings for both (a 10 s lease TTL and session
 * timeout, each integration's defaults otherwise), taking turns, after a warm-up of both.
 * See {@link PeerRegistrationFigures}, {@link PeerRefreshFigures} and
 * {@link PeerStartupFigures} for what is measured.
 * <p>
 * Run with
 * {@code java -cp benchmarks.jar io.github.etcdspring.benchmarks.PeerBenchmark [name=count...]},
 * counts (and their defaults): {@code registrations=1000} (90% of them are deregistered),
 * {@code changes=200} (registrations for propagation), {@code refreshes=100},
 * {@code bursts=3}, {@code startups=10} (fresh JVMs per variant).
 *
 * @author etcd-spring-boot contributors
 */
public final class PeerBenchmark {

	private static final Map<String, Integer> DEFAULTS = Map.of("registrations", 1000, "changes", 200, "refreshes", 100,
			"bursts", 3, "startups", 10);

	private static final int MAX_COUNT = 10_000;

	private final List<String> rows = new ArrayList<>();

	private PeerBenchmark() {
	}

	public static void main(String[] args) {
		Map<String, Integer> counts = counts(args);
		int registrations = counts.get("registrations");
		int deregistrations = registrations * 9 / 10;
		PeerBenchmark table = new PeerBenchmark();
		try (EtcdPeerStore etcd = EtcdPeerStore.start(); ZookeeperPeerStore zookeeper = ZookeeperPeerStore.start()) {
			List<PeerStore> stores = List.of(etcd, zookeeper);
			try (PeerSide etcdSide = PeerSide.start(etcd, "probe-etcd", PeerRefreshFigures.properties());
					PeerSide zookeeperSide = PeerSide.start(zookeeper, "probe-zookeeper",
							PeerRefreshFigures.properties())) {
				List<PeerSide> sides = List.of(etcdSide, zookeeperSide);
				PeerRegistrationFigures.registrations(sides, Math.min(200, registrations), registrations,
						deregistrations);
				PeerRegistrationFigures.propagation(sides, Math.min(50, counts.get("changes")), counts.get("changes"));
				PeerRefreshFigures.changes(sides, Math.min(20, counts.get("refreshes")), counts.get("refreshes"));
				PeerRefreshFigures.bursts(sides, counts.get("bursts"));
				table.registrationRows(etcdSide, zookeeperSide, registrations, deregistrations);
				table.refreshRows(etcdSide, zookeeperSide);
			}
			Map<String, List<Long>> startups = PeerStartupFigures.measure(stores, counts.get("startups"));
			table.startupRows(startups, etcd.label(), zookeeper.label());
		}
		System.out.println("This starter and Spring Cloud Zookeeper side by side, " + counts);
		System.out.println();
		System.out
			.println("| Figure | etcd starter | Spring Cloud Zookeeper | floor: plain jetcd | floor: plain ZooKeeper "
					+ "| starter / Zookeeper | starter / jetcd floor |");
		System.out.println("|---|---:|---:|---:|---:|---:|---:|");
		table.rows.forEach(System.out::println);
	}

	private static Map<String, Integer> counts(String[] args) {
		Map<String, Integer> counts = new HashMap<>(DEFAULTS);
		for (String arg : args) {
			String[] nameAndCount = arg.split("=", 2);
			if (nameAndCount.length != 2 || !DEFAULTS.containsKey(nameAndCount[0])) {
				throw new IllegalArgumentException(
						"Expected name=count with a name of " + DEFAULTS.keySet() + ": " + arg);
			}
			int count = Integer.parseInt(nameAndCount[1]);
			if (count < 1 || count > MAX_COUNT) {
				throw new IllegalArgumentException(nameAndCount[0] + " must be from 1 to " + MAX_COUNT);
			}
			counts.put(nameAndCount[0], count);
		}
		return counts;
	}

	private void registrationRows(PeerSide etcd, PeerSide zookeeper, int registrations, int deregistrations) {
		ToLongFunction<List<Long>> median = (samples) -> new Samples(samples).median();
		ToLongFunction<List<Long>> p99 = (samples) -> new Samples(samples).percentile(99);
		ToLongFunction<List<Long>> sum = (samples) -> samples.stream().mapToLong(Long::longValue).sum();
		row("`register()` call, median (ms)", etcd, zookeeper, PeerRegistrationFigures.REGISTER,
				PeerRegistrationFigures.CREATE, median, 1e6);
		row("`deregister()` call, median (ms)", etcd, zookeeper, PeerRegistrationFigures.DEREGISTER,
				PeerRegistrationFigures.DELETE, median, 1e6);
		row(registrations + " sequential registrations (s)", etcd, zookeeper, PeerRegistrationFigures.REGISTER,
				PeerRegistrationFigures.CREATE, sum, 1e9);
		row(deregistrations + " deregistrations (s)", etcd, zookeeper, PeerRegistrationFigures.DEREGISTER,
				PeerRegistrationFigures.DELETE, sum, 1e9);
		row("register → visible in another app's `DiscoveryClient`, median (ms)", etcd, zookeeper,
				PeerRegistrationFigures.VISIBLE, PeerRegistrationFigures.WATCHED, median, 1e6);
		row("register → visible in another app's `DiscoveryClient`, p99 (ms)", etcd, zookeeper,
				PeerRegistrationFigures.VISIBLE, PeerRegistrationFigures.WATCHED, p99, 1e6);
	}

	private void refreshRows(PeerSide etcd, PeerSide zookeeper) {
		ToLongFunction<List<Long>> median = (samples) -> new Samples(samples).median();
		ToLongFunction<List<Long>> p99 = (samples) -> new Samples(samples).percentile(99);
		row("put → `@RefreshScope` bean has the new value, median (ms)", etcd, zookeeper, PeerRefreshFigures.VISIBLE,
				PeerRefreshFigures.WATCHED, median, 1e6);
		row("put → `@RefreshScope` bean has the new value, p99 (ms)", etcd, zookeeper, PeerRefreshFigures.VISIBLE,
				PeerRefreshFigures.WATCHED, p99, 1e6);
		row("of which: write → `RefreshEvent`, median (ms)", etcd, zookeeper, PeerRefreshFigures.REFRESH_EVENT, null,
				median, 1e6);
		row("of which: `RefreshEvent` → new value, median (ms)", etcd, zookeeper, PeerRefreshFigures.EVENT_TO_VISIBLE,
				null, median, 1e6);
		row(PeerRefreshFigures.BURST + " keys written back to back → refreshes, median of the bursts", etcd, zookeeper,
				PeerRefreshFigures.BURST_REFRESHES, null, median, 1);
		row("… last refresh done after the last write, median of the bursts (ms)", etcd, zookeeper,
				PeerRefreshFigures.BURST_LAST, null, median, 1e6);
	}

	private void startupRows(Map<String, List<Long>> startups, String etcd, String zookeeper) {
		long none = new Samples(startups.get(PeerStartupFigures.NONE)).median();
		long withEtcd = new Samples(startups.get(etcd)).median();
		long withZookeeper = new Samples(startups.get(zookeeper)).median();
		int runs = startups.get(PeerStartupFigures.NONE).size();
		this.rows.add(cells(
				"startup added to a web app (JVM start → ready, difference of the medians of " + runs + " JVMs, ms)",
				withEtcd - none, withZookeeper - none, null, null));
		this.rows.add(cells("web app ready, median (ms; " + none + " without a registry)", withEtcd, withZookeeper,
				null, null));
	}

	private void row(String label, PeerSide etcd, PeerSide zookeeper, String metric, String floorMetric,
			ToLongFunction<List<Long>> summary, double unit) {
		this.rows.add(cells(label, value(etcd, metric, summary, unit), value(zookeeper, metric, summary, unit),
				(floorMetric != null) ? value(etcd, floorMetric, summary, unit) : null,
				(floorMetric != null) ? value(zookeeper, floorMetric, summary, unit) : null));
	}

	private static Double value(PeerSide side, String metric, ToLongFunction<List<Long>> summary, double unit) {
		List<Long> samples = side.samples(metric);
		return samples.isEmpty() ? null : summary.applyAsLong(samples) / unit;
	}

	private static String cells(String label, Number starter, Number zookeeper, Number etcdFloor,
			Number zookeeperFloor) {
		return "| " + label + " | " + format(starter) + " | " + format(zookeeper) + " | " + format(etcdFloor) + " | "
				+ format(zookeeperFloor) + " | " + ratio(starter, zookeeper) + " | " + ratio(starter, etcdFloor) + " |";
	}

	private static String format(Number value) {
		if (value == null) {
			return "—";
		}
		double number = value.doubleValue();
		return String.format(Locale.ROOT, (Math.abs(number) >= 100 || number == Math.rint(number)) ? "%.0f" : "%.2f",
				number);
	}

	private static String ratio(Number value, Number base) {
		if (value == null || base == null || base.doubleValue() <= 0) {
			return "—";
		}
		return String.format(Locale.ROOT, "%.2f×", value.doubleValue() / base.doubleValue());
	}

}
