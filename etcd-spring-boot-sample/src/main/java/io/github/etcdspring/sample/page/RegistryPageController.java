package io.github.etcdspring.sample.page;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The stream behind {@code /registry.html}: server-sent events named {@code state}, each
 * with the page's whole state as JSON.
 *
 * @author etcd-spring-boot contributors
 */
@RestController
class RegistryPageController {

	private final LivePage page;

	RegistryPageController(LivePage page) {
		this.page = page;
	}

	@GetMapping(path = "/registry/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter events() {
		return this.page.subscribe();
	}

}
