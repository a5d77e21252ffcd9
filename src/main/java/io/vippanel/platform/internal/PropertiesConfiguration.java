package io.vippanel.platform.internal;

import io.vippanel.platform.VipProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(VipProperties.class)
class PropertiesConfiguration {
}
