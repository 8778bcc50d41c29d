/**
 * Hints for Spring's AOT processing and GraalVM native images: what the starter and
 * jetcd's gRPC transport reflect on or load by name.
 */
@NullMarked
package io.github.etcdspring.aot;

import org.jspecify.annotations.NullMarked;
