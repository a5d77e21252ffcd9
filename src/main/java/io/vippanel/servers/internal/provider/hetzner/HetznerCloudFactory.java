package io.vippanel.servers.internal.provider.hetzner;

import io.vippanel.platform.VipProperties;
import io.vippanel.servers.ProviderKind;
import io.vippanel.servers.internal.provider.CloudProvider;
import io.vippanel.servers.internal.provider.hetzner.HetznerJson.ErrorBody;
import io.vippanel.servers.internal.provider.http.ApiTokenProviderFactory;
import io.vippanel.servers.internal.provider.http.ErrorFormat;
import io.vippanel.servers.internal.provider.http.ProviderError;
import io.vippanel.servers.internal.provider.http.ProviderHttp;
import java.util.Set;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** Connects to Hetzner Cloud projects with their API tokens. */
@Component
public class HetznerCloudFactory extends ApiTokenProviderFactory {

    /**
     * Hetzner: {@code {"error":{"code":"invalid_input","message":"..."}}}; an exceeded resource limit comes as 403
     * and is a refusal, not a credentials problem.
     */
    private static final ErrorFormat<ErrorBody> ERRORS = new ErrorFormat<>(ErrorBody.class, body -> body.error() == null
            ? new ProviderError(null, null, null)
            : new ProviderError(body.error().code(), body.error().message(), null),
            Set.of("resource_limit_exceeded"));

    @Autowired
    public HetznerCloudFactory(VipProperties properties) {
        this(properties.providers());
    }

    public HetznerCloudFactory(VipProperties.Providers settings) {
        super(ProviderKind.HETZNER, settings.hetznerUrl(), settings, ERRORS);
    }

    @Override
    protected CloudProvider connect(ProviderHttp http) {
        return new HetznerCloud(http);
    }
}
