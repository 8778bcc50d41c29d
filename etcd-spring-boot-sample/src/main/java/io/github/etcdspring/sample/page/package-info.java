/**
 * The sample's live registry page, {@code /registry.html}: the registry, the
 * configuration, the elections and the locks in etcd, pushed to the browser with
 * server-sent events after each change.
 */
@NullMarked
package io.github.etcdspring.sample.page;

import org.jspecify.annotations.NullMarked;
