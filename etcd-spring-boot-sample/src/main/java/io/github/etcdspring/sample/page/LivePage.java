package io.github.etcdspring.sample.page;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Pushes the registry page's state to every open page with server-sent events: the whole
 * state of every {@link PageSection} (a few kilobytes), once when the page connects and
 * again after each change. One thread sends, so that a burst of changes while it sends
 * makes one more send, of the latest state. It starts after the sections' sources (the
 * service catalog, the configuration) and stops first, ending every open stream so that
 * the web server's graceful shutdown does not wait for them.
 *
 * @author etcd-spring-boot contributors
 */
@Component
class LivePage implements SmartLifecycle, DisposableBean {

	/** The name of the events that carry the state. */
	static final String STATE_EVENT = "state";

	private static final Log logger = LogFactory.getLog(LivePage.class);

	private final List<PageSection> sections;

	private final Set<SseEmitter> emitters = ConcurrentHashMap.newKeySet();

	private final ExecutorService sender;

	private final AtomicBoolean sendPending = new AtomicBoolean();

	private volatile boolean running;

	LivePage(List<PageSection> sections) {
		this.sections = sections;
		CustomizableThreadFactory threads = new CustomizableThreadFactory("registry-page-");
		threads.setDaemon(true);
		this.sender = Executors.newSingleThreadExecutor(threads);
	}

	/**
	 * A stream of the page's state, open until the page closes or the application stops.
	 * @return the stream
	 */
	SseEmitter subscribe() {
		SseEmitter emitter = new SseEmitter(0L); // no timeout: the page keeps it open
		emitter.onCompletion(() -> this.emitters.remove(emitter));
		emitter.onError((failure) -> this.emitters.remove(emitter));
		if (!this.running) {
			emitter.complete();
			return emitter;
		}
		this.emitters.add(emitter);
		changed(); // the new page gets the state; the others get it again, unchanged
		return emitter;
	}

	/**
	 * The state of every section.
	 * @return section names to their state
	 */
	Map<String, Object> state() {
		Map<String, Object> state = new LinkedHashMap<>();
		this.sections.forEach((section) -> state.put(section.name(), section.describe()));
		return state;
	}

	private void changed() {
		if (this.sendPending.compareAndSet(false, true)) {
			try {
				this.sender.execute(this::send);
			}
			catch (RejectedExecutionException ex) {
				// destroyed
			}
		}
	}

	private void send() {
		this.sendPending.set(false);
		Map<String, Object> state;
		try {
			state = state();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not describe the registry page's state", ex);
			return;
		}
		for (SseEmitter emitter : this.emitters) {
			try {
				emitter.send(SseEmitter.event().name(STATE_EVENT).data(state, MediaType.APPLICATION_JSON));
			}
			catch (IOException | IllegalStateException ex) {
				// the page went away: the container completes the emitter
				this.emitters.remove(emitter);
			}
		}
	}

	@Override
	public void start() {
		this.running = true;
		this.sections.forEach((section) -> section.start(this::changed));
	}

	@Override
	public void stop() {
		this.running = false;
		this.sections.forEach(PageSection::stop);
		this.emitters.forEach(SseEmitter::complete);
		this.emitters.clear();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public void destroy() {
		this.sender.shutdownNow();
	}

}
