package io.github.etcdspring.coordination;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The key layout of {@link ContenderQueue}, which is etcd's Go {@code concurrency}
 * package's.
 */
class ContenderQueueTests {

	@Test
	void keysAreTheNameUnderTheRootThenTheLeaseInLowercaseHexWithoutPadding() {
		ContenderQueue queue = new ContenderQueue("locks", "billing-job");
		assertThat(queue.prefix()).isEqualTo("locks/billing-job/");
		assertThat(queue.key(0x694d7a3b5c1e2f0aL)).isEqualTo("locks/billing-job/694d7a3b5c1e2f0a");
		assertThat(queue.key(0xabcL)).isEqualTo("locks/billing-job/abc");
	}

	@Test
	void trailingSlashesOfTheRootAreIgnoredAndAnEmptyRootPutsTheNameFirst() {
		assertThat(new ContenderQueue("elections//", "leader").prefix()).isEqualTo("elections/leader/");
		assertThat(new ContenderQueue("", "leader").key(1)).isEqualTo("leader/1");
	}

	@Test
	void namesThatWouldBreakTheLayoutAreRefusedWithTheReason() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ContenderQueue("locks", ""))
			.withMessageContaining("must not be empty");
		assertThatIllegalArgumentException().isThrownBy(() -> new ContenderQueue("locks", "a/b"))
			.withMessageContaining("'a/b' contains a '/'");
		assertThatIllegalArgumentException().isThrownBy(() -> new ContenderQueue("locks", "a\nb"))
			.withMessageContaining("'a?b' contains a control character");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ContenderQueue("locks", "x".repeat(ContenderQueue.MAX_NAME_LENGTH + 1)))
			.withMessageContaining("longer than 1024 characters");
	}

}
