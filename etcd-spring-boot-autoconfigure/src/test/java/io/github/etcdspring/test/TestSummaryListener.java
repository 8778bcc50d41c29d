package io.github.etcdspring.test;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints one line such as {@code tests: 73 passed, 0 failed, 0 skipped} when a test run
 * ends, so that even {@code mvn -q verify}, which hides Surefire's summary, shows that
 * tests ran and none were skipped.
 *
 * @author etcd-spring-boot contributors
 */
public class TestSummaryListener implements TestExecutionListener {

	private final AtomicLong passed = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private final AtomicLong skipped = new AtomicLong();

	@Override
	public void testPlanExecutionStarted(TestPlan testPlan) {
		this.passed.set(0);
		this.failed.set(0);
		this.skipped.set(0);
	}

	@Override
	public void executionSkipped(TestIdentifier testIdentifier, String reason) {
		if (testIdentifier.isTest()) {
			this.skipped.incrementAndGet();
		}
	}

	@Override
	public void executionFinished(TestIdentifier testIdentifier, TestExecutionResult result) {
		if (testIdentifier.isTest()) {
			(result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? this.passed : this.failed).incrementAndGet();
		}
	}

	@Override
	public void testPlanExecutionFinished(TestPlan testPlan) {
		System.out
			.println("tests: " + this.passed + " passed, " + this.failed + " failed, " + this.skipped + " skipped");
	}

}
