package io.github.etcdspring.registry;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.cloud.commons.util.InetUtils;
import org.springframework.util.StringUtils;

/**
 * Chooses the address an instance is registered with, and logs the choice and its reason:
 * the configured host, else the local address inside the configured subnet, else the
 * first non-loopback address that Spring Cloud's {@link InetUtils} finds (honouring
 * {@code spring.cloud.inetutils.*}).
 *
 * @author etcd-spring-boot contributors
 */
class ServiceAddressResolver {

	private static final Log logger = LogFactory.getLog(ServiceAddressResolver.class);

	private final InetUtils inetUtils;

	ServiceAddressResolver(InetUtils inetUtils) {
		this.inetUtils = inetUtils;
	}

	/**
	 * Choose the address.
	 * @param serviceId the service, for the log
	 * @param host the configured host, or {@code null}
	 * @param subnet the configured CIDR subnet, or {@code null}
	 * @param propertyPrefix the prefix of the properties ({@code service} or
	 * {@code service.grpc}), for messages
	 * @return the address to register
	 */
	String resolve(String serviceId, @Nullable String host, @Nullable String subnet, String propertyPrefix) {
		if (StringUtils.hasText(host)) {
			logger.info("Registering '" + serviceId + "' with address " + host + " (" + propertyPrefix + ".host)");
			return host;
		}
		if (StringUtils.hasText(subnet) && !isAnyAddress(subnet)) {
			return resolveInSubnet(serviceId, subnet, propertyPrefix + ".service-use-subnet");
		}
		String address = this.inetUtils.findFirstNonLoopbackHostInfo().getIpAddress();
		logger.info("Registering '" + serviceId + "' with address " + address + " (the first non-loopback address; set "
				+ propertyPrefix + ".host or " + propertyPrefix + ".service-use-subnet to choose another among "
				+ localAddresses() + ")");
		return address;
	}

	private String resolveInSubnet(String serviceId, String subnet, String property) {
		Cidr cidr = Cidr.parse(subnet, property);
		List<InetAddress> candidates = localAddresses();
		for (InetAddress candidate : candidates) {
			if (cidr.contains(candidate)) {
				String address = candidate.getHostAddress();
				logger.info("Registering '" + serviceId + "' with address " + address + " (" + property + "=" + subnet
						+ " among " + text(candidates) + ")");
				return address;
			}
		}
		throw new InvalidConfigurationPropertyValueException(property, subnet,
				"No local address is in this subnet; the local addresses are " + text(candidates));
	}

	private static List<String> text(List<InetAddress> addresses) {
		return addresses.stream().map(InetAddress::getHostAddress).toList();
	}

	private static boolean isAnyAddress(String subnet) {
		return subnet.trim().equals("0.0.0.0/0") || subnet.trim().equals("::/0");
	}

	private static List<InetAddress> localAddresses() {
		List<InetAddress> addresses = new ArrayList<>();
		try {
			for (NetworkInterface networkInterface : Collections.list(NetworkInterface.getNetworkInterfaces())) {
				if (networkInterface.isUp()) {
					networkInterface.inetAddresses().forEach(addresses::add);
				}
			}
		}
		catch (SocketException ex) {
			logger.warn("Could not list the local network interfaces", ex);
		}
		return addresses;
	}

	/**
	 * A subnet in CIDR notation.
	 */
	record Cidr(byte[] network, int prefixLength) {

		static Cidr parse(String value, String property) {
			String[] parts = value.trim().split("/");
			if (parts.length != 2) {
				throw new InvalidConfigurationPropertyValueException(property, value,
						"Expected a subnet in CIDR notation, e.g. 10.0.0.0/8 or fd00::/8");
			}
			byte[] network;
			int prefixLength;
			try {
				if (!parts[0].matches("[0-9a-fA-F.:]+")) {
					throw new UnknownHostException(parts[0]);
				}
				network = InetAddress.getByName(parts[0]).getAddress();
				prefixLength = Integer.parseInt(parts[1]);
			}
			catch (UnknownHostException | NumberFormatException ex) {
				throw new InvalidConfigurationPropertyValueException(property, value,
						"Expected a subnet in CIDR notation, e.g. 10.0.0.0/8 or fd00::/8");
			}
			if (prefixLength < 0 || prefixLength > network.length * 8) {
				throw new InvalidConfigurationPropertyValueException(property, value,
						"The prefix length must be between 0 and " + (network.length * 8));
			}
			return new Cidr(network, prefixLength);
		}

		boolean contains(InetAddress address) {
			byte[] bytes = address.getAddress();
			if (bytes.length != this.network.length) {
				return false;
			}
			for (int bit = 0; bit < this.prefixLength; bit++) {
				int mask = 0x80 >> (bit % 8);
				if ((bytes[bit / 8] & mask) != (this.network[bit / 8] & mask)) {
					return false;
				}
			}
			return true;
		}

	}

}
