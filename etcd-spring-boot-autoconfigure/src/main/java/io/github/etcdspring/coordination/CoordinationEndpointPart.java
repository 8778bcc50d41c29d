package io.github.etcdspring.coordination;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.etcdspring.endpoint.EtcdEndpointPart;

/**
 * The {@code coordination} part of the {@code etcd} endpoint,
 * {@code /actuator/etcd/coordination}: the session lease, then the sections the lock and
 * election features contribute ({@code locks}, {@code elections}). No call to etcd.
 *
 * @author etcd-spring-boot contributors
 */
public class CoordinationEndpointPart implements EtcdEndpointPart {

	private final CoordinationSession session;

	private final List<CoordinationEndpointSection> sections;

	/**
	 * @param session the session
	 * @param sections the other sections, in order
	 * @throws IllegalStateException when two sections share a name, or one is named
	 * {@code session}
	 */
	public CoordinationEndpointPart(CoordinationSession session, List<CoordinationEndpointSection> sections) {
		this.session = session;
		this.sections = List.copyOf(sections);
		List<String> names = new ArrayList<>(List.of("session"));
		for (CoordinationEndpointSection section : sections) {
			if (names.contains(section.name())) {
				throw new IllegalStateException("Two sections of the coordination part of the etcd endpoint are named '"
						+ section.name() + "'");
			}
			names.add(section.name());
		}
	}

	@Override
	public String name() {
		return "coordination";
	}

	@Override
	public Map<String, Object> describe() {
		Map<String, Object> described = new LinkedHashMap<>();
		described.put("session", this.session.describe());
		this.sections.forEach((section) -> described.put(section.name(), section.describe()));
		return described;
	}

}
