package io.vippanel.platform.internal;

import io.vippanel.platform.VipProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.session.data.redis.config.annotation.web.http.EnableRedisHttpSession;

/** With {@code VIP_REDIS_URL} set, HTTP sessions live in Redis so that every API node shares them. */
@Configuration(proxyBeanMethods = false)
@Conditional(RedisSessionConfiguration.RedisConfigured.class)
@EnableRedisHttpSession
class RedisSessionConfiguration {

    @Bean
    RedisConnectionFactory redisConnectionFactory(VipProperties properties) {
        io.lettuce.core.RedisURI uri = io.lettuce.core.RedisURI.create(properties.redis().url());
        RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(uri.getHost(), uri.getPort());
        configuration.setDatabase(uri.getDatabase());
        if (uri.getPassword() != null) {
            configuration.setPassword(uri.getPassword());
        }
        if (uri.getUsername() != null) {
            configuration.setUsername(uri.getUsername());
        }
        return new LettuceConnectionFactory(configuration);
    }

    @Bean
    org.springframework.session.config.SessionRepositoryCustomizer<org.springframework.session.data.redis.RedisSessionRepository> sessionTimeout(
            VipProperties properties) {
        return repository -> {
            repository.setDefaultMaxInactiveInterval(properties.security().session().idleTimeout());
            repository.setRedisKeyNamespace(properties.redis().keyPrefix() + "session");
        };
    }

    static class RedisConfigured implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String url = Binder.get(context.getEnvironment()).bind("vip.redis.url", String.class).orElse("");
            return !url.isBlank();
        }
    }
}
