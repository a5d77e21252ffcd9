package io.vippanel.platform.internal;

import io.vippanel.platform.LiveEvents;
import io.vippanel.platform.VipProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Redis pub/sub when Redis is configured (it then carries sessions and rate limits too), else PostgreSQL. */
@Configuration(proxyBeanMethods = false)
class LiveEventsConfiguration {

    @Bean(destroyMethod = "close")
    LiveEvents liveEvents(VipProperties properties, JdbcClient jdbc, DatabaseConfiguration.Endpoint endpoint) {
        if (properties.redis().configured()) {
            return new RedisLiveEvents(properties.redis().url(), properties.redis().keyPrefix());
        }
        return new PostgresLiveEvents(jdbc, endpoint);
    }
}
