package io.github.etcdspring.test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The child processes of a test ({@code etcdctl}, a Go program), each writing its output
 * and errors to a temporary log that {@link #output(Process)} reads. {@link #close()}
 * kills them all and deletes their logs.
 */
public final class LoggedProcesses implements AutoCloseable {

	private final Map<Process, File> logs = new LinkedHashMap<>();

	/**
	 * Start a process, its output and errors going to a log of its own.
	 * @param builder the process
	 * @return the process started
	 */
	public Process start(ProcessBuilder builder) {
		try {
			File log = File.createTempFile("process", ".log");
			log.deleteOnExit();
			Process process = builder.redirectErrorStream(true).redirectOutput(log).start();
			synchronized (this.logs) {
				this.logs.put(process, log);
			}
			return process;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * What a process started here printed so far.
	 * @param process the process
	 * @return its output and errors
	 */
	public String output(Process process) {
		File log;
		synchronized (this.logs) {
			log = this.logs.get(process);
		}
		return read(log);
	}

	/**
	 * The text of a log file.
	 * @param log the file
	 * @return its text
	 */
	public static String read(File log) {
		try {
			return Files.readString(log.toPath(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() throws InterruptedException {
		synchronized (this.logs) {
			for (Process process : this.logs.keySet()) {
				process.destroyForcibly().waitFor();
			}
			this.logs.values().forEach(File::delete);
			this.logs.clear();
		}
	}

}
