package io.github.etcdspring.sample;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings bound from etcd: {@code @ConfigurationProperties} beans are rebound in place
 * after each change.
 *
 * @author etcd-spring-boot contributors
 */
@ConfigurationProperties("shop")
public class ShopProperties {

	/**
	 * Discount in percent.
	 */
	private int discount;

	/**
	 * Features switched on.
	 */
	private List<String> features = new ArrayList<>();

	public int getDiscount() {
		return this.discount;
	}

	public void setDiscount(int discount) {
		this.discount = discount;
	}

	public List<String> getFeatures() {
		return this.features;
	}

	public void setFeatures(List<String> features) {
		this.features = features;
	}

}
