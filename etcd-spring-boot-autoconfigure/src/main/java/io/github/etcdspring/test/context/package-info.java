/**
 * Support for the tests of applications that use the starter: {@link LocalEtcd} gives a
 * Spring test context a local etcd of its own. Needs {@code spring-test} on the test
 * class path.
 */
@NullMarked
package io.github.etcdspring.test.context;

import org.jspecify.annotations.NullMarked;
