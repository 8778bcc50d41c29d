package io.github.etcdspring.registry;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.cloud.client.serviceregistry.AbstractAutoServiceRegistration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationProperties;
import org.springframework.cloud.client.serviceregistry.RegistrationLifecycle;
import org.springframework.cloud.client.serviceregistry.RegistrationManagementLifecycle;
import org.springframework.context.ApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;

/**
 * Registers the application when its web server has started (or, for a non-web
 * application with {@code service.port}, when it is ready) and deregisters it as soon as
 * the context starts closing: before the web server drains its requests, so that callers
 * stop routing to an instance before it stops serving.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdAutoServiceRegistration extends AbstractAutoServiceRegistration<EtcdRegistration> {

	private static final Log logger = LogFactory.getLog(EtcdAutoServiceRegistration.class);

	private final ApplicationContext context;

	private final EtcdServiceRegistry serviceRegistry;

	private final EtcdRegistration registration;

	private final @Nullable EtcdRegistration grpcRegistration;

	private final EtcdServiceProperties properties;

	private final List<EtcdRegistrationCustomizer> customizers;

	private boolean completed;

	@SuppressWarnings("this-escape")
	public EtcdAutoServiceRegistration(ApplicationContext context, EtcdServiceRegistry serviceRegistry,
			AutoServiceRegistrationProperties autoServiceRegistrationProperties, EtcdRegistration registration,
			@Nullable EtcdRegistration grpcRegistration, EtcdServiceProperties properties,
			List<EtcdRegistrationCustomizer> customizers,
			List<RegistrationManagementLifecycle<EtcdRegistration>> registrationManagementLifecycles,
			List<RegistrationLifecycle<EtcdRegistration>> registrationLifecycles) {
		super(context, serviceRegistry, autoServiceRegistrationProperties, registrationManagementLifecycles,
				registrationLifecycles);
		this.context = context;
		this.serviceRegistry = serviceRegistry;
		this.registration = registration;
		this.grpcRegistration = grpcRegistration;
		this.properties = properties;
		this.customizers = customizers;
	}

	@Override
	protected EtcdRegistration getRegistration() {
		return this.registration;
	}

	@Override
	protected @Nullable EtcdRegistration getManagementRegistration() {
		return null;
	}

	@Override
	@Deprecated
	protected Object getConfiguration() {
		return this.properties;
	}

	@Override
	protected boolean isEnabled() {
		return this.properties.isRegister();
	}

	/**
	 * Completes the registrations first, so that Spring Cloud's
	 * {@code InstancePreRegisteredEvent} and {@code RegistrationLifecycle} hooks see them
	 * as they will be registered.
	 */
	@Override
	@SuppressWarnings("deprecation")
	public void start() {
		if (!isRunning() && isEnabled() && !this.completed) {
			RegistrationFactory.complete(this.registration, getPort().get());
			this.customizers.forEach((customizer) -> customizer.customize(this.registration));
			if (this.grpcRegistration != null) {
				this.customizers.forEach((customizer) -> customizer.customize(this.grpcRegistration));
			}
			this.completed = true;
		}
		super.start();
	}

	/**
	 * Registers the application, then its gRPC server, and logs each once it is in etcd:
	 * the registry itself logs every call at debug level only.
	 */
	@Override
	protected void register() {
		super.register();
		logRegistered(this.registration);
		if (this.grpcRegistration != null) {
			try {
				getServiceRegistry().register(this.grpcRegistration);
			}
			catch (RuntimeException ex) {
				super.deregister();
				throw ex;
			}
			logRegistered(this.grpcRegistration);
		}
	}

	private void logRegistered(EtcdRegistration registered) {
		if (RegistrationState.REGISTERED.name().equals(this.serviceRegistry.getState())) {
			logger.info("Registered " + registered + " in etcd under " + this.serviceRegistry.describe(registered));
		}
	}

	@Override
	protected void deregister() {
		if (!this.properties.isDeregister()) {
			return;
		}
		super.deregister();
		logger.info("Deregistered " + this.registration + " from etcd");
		if (this.grpcRegistration != null) {
			getServiceRegistry().deregister(this.grpcRegistration);
			logger.info("Deregistered " + this.grpcRegistration + " from etcd");
		}
	}

	/**
	 * Deregister before the lifecycle processor stops the web server gracefully; Spring
	 * Cloud would otherwise deregister at bean destruction, after the drain.
	 * @param event the event
	 */
	@EventListener
	public void onContextClosed(ContextClosedEvent event) {
		if (event.getApplicationContext() == this.context) {
			stop();
		}
	}

	/**
	 * Register an application without a web server once it is ready, when it declares its
	 * port.
	 * @param event the event
	 */
	@EventListener
	public void onApplicationReady(ApplicationReadyEvent event) {
		if (event.getApplicationContext() == this.context && !isRunning()
				&& !(this.context instanceof WebServerApplicationContext) && this.properties.getPort() != null) {
			start();
		}
	}

}
