package io.github.etcdspring.format;

/**
 * A registry format: where instances live (the {@link RegistryKeyLayout}: the key ranges
 * to read for one service or for the whole catalogue, the ids a key holds, and the key an
 * instance is written under) and how one value is decoded into an instance or encoded
 * from one (the {@link ServiceInstanceCodec}). The service registry writes with it and
 * discovery reads with it.
 *
 * @author etcd-spring-boot contributors
 */
public interface RegistryFormat {

	/**
	 * Where instances live.
	 * @return the key layout
	 */
	RegistryKeyLayout layout();

	/**
	 * How one value is encoded and decoded.
	 * @return the codec
	 */
	ServiceInstanceCodec codec();

	/**
	 * A format made of a layout and a codec.
	 * @param layout the key layout
	 * @param codec the codec
	 * @return the format
	 */
	static RegistryFormat of(RegistryKeyLayout layout, ServiceInstanceCodec codec) {
		record Simple(RegistryKeyLayout layout, ServiceInstanceCodec codec) implements RegistryFormat {
		}
		return new Simple(layout, codec);
	}

}
