package io.github.etcdspring.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for TLS tests, made with the JDK's keytool: a certificate authority, a
 * server certificate for 127.0.0.1 and localhost, a client certificate for mutual TLS,
 * and a second, unrelated authority to play an untrusted one. Everything is written as
 * PEM files, which both etcd and Spring Boot's PEM SSL bundles read.
 *
 * @author etcd-spring-boot contributors
 */
public final class TestCertificates {

	private static final String STORE_PASSWORD = "changeit";

	private final Path directory;

	private TestCertificates(Path directory) {
		this.directory = directory;
	}

	/**
	 * Generate a fresh set of certificates.
	 * @param directory where to write them
	 * @return the certificates
	 */
	public static TestCertificates generate(Path directory) {
		TestCertificates certificates = new TestCertificates(directory);
		certificates.createAuthority("ca");
		certificates.createAuthority("other-ca");
		certificates.createSignedCertificate("server", "ca", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost",
				"EKU=serverAuth,clientAuth");
		certificates.createSignedCertificate("client", "ca", "CN=etcd-client", null, "EKU=clientAuth");
		return certificates;
	}

	/**
	 * The certificate of the authority that signed the server and client certificates.
	 */
	public Path caCertificate() {
		return this.directory.resolve("ca.pem");
	}

	/** The certificate of an authority that signed nothing etcd presents. */
	public Path untrustedCaCertificate() {
		return this.directory.resolve("other-ca.pem");
	}

	public Path serverCertificate() {
		return this.directory.resolve("server.pem");
	}

	public Path serverPrivateKey() {
		return this.directory.resolve("server-key.pem");
	}

	public Path clientCertificate() {
		return this.directory.resolve("client.pem");
	}

	public Path clientPrivateKey() {
		return this.directory.resolve("client-key.pem");
	}

	private void createAuthority(String name) {
		generateKeyPair(name, "CN=etcd-test-" + name, "bc:c");
		keytool("-exportcert", "-rfc", "-alias", name, "-keystore", keyStore(name), "-file", pem(name));
	}

	private void createSignedCertificate(String name, String authority, String distinguishedName,
			String subjectAlternativeNames, String extendedKeyUsage) {
		generateKeyPair(name, distinguishedName, null);
		String request = this.directory.resolve(name + ".csr").toString();
		keytool("-certreq", "-alias", name, "-keystore", keyStore(name), "-file", request);
		List<String> signing = new ArrayList<>(List.of("-gencert", "-rfc", "-validity", "2", "-alias", authority,
				"-keystore", keyStore(authority), "-infile", request, "-outfile", pem(name), "-ext", extendedKeyUsage));
		if (subjectAlternativeNames != null) {
			signing.addAll(List.of("-ext", subjectAlternativeNames));
		}
		keytool(signing.toArray(String[]::new));
		writePrivateKey(name);
	}

	private void generateKeyPair(String name, String distinguishedName, String extension) {
		List<String> arguments = new ArrayList<>(List.of("-genkeypair", "-alias", name, "-dname", distinguishedName,
				"-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-keystore", keyStore(name)));
		if (extension != null) {
			arguments.addAll(List.of("-ext", extension));
		}
		keytool(arguments.toArray(String[]::new));
	}

	private void writePrivateKey(String name) {
		try (InputStream in = Files.newInputStream(Path.of(keyStore(name)))) {
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(in, STORE_PASSWORD.toCharArray());
			PrivateKey key = (PrivateKey) store.getKey(name, STORE_PASSWORD.toCharArray());
			String pem = "-----BEGIN PRIVATE KEY-----\n"
					+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
						.encodeToString(key.getEncoded())
					+ "\n-----END PRIVATE KEY-----\n";
			Files.writeString(this.directory.resolve(name + "-key.pem"), pem);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private String keyStore(String name) {
		return this.directory.resolve(name + ".p12").toString();
	}

	private String pem(String name) {
		return this.directory.resolve(name + ".pem").toString();
	}

	private void keytool(String... arguments) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		command.addAll(List.of(arguments));
		command.addAll(List.of("-storetype", "PKCS12", "-storepass", STORE_PASSWORD));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException("keytool failed: " + command + "\n" + output);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
