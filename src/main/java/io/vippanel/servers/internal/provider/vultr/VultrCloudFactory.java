package io.vippanel.servers.internal.provider.vultr;

import io.vippanel.platform.VipProperties;
import io.vippanel.servers.ProviderKind;
import io.vippanel.servers.internal.provider.CloudProvider;
import io.vippanel.servers.internal.provider.http.ApiTokenProviderFactory;
import io.vippanel.servers.internal.provider.http.ErrorFormat;
import io.vippanel.servers.internal.provider.http.ProviderError;
import io.vippanel.servers.internal.provider.http.ProviderHttp;
import io.vippanel.servers.internal.provider.vultr.VultrJson.ErrorBody;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** Connects to Vultr accounts with their API keys. */
@Component
public class VultrCloudFactory extends ApiTokenProviderFactory {

    /** Vultr: {@code {"error":"Invalid API token.","status":401}}; no error codes, no request ids. */
    private static final ErrorFormat<ErrorBody> ERRORS = new ErrorFormat<>(ErrorBody.class,
            body -> new ProviderError(null, body.error(), null));

    @Autowired
    public VultrCloudFactory(VipProperties properties) {
        this(properties.providers());
    }

    public VultrCloudFactory(VipProperties.Providers settings) {
        super(ProviderKind.VULTR, settings.vultrUrl(), settings, ERRORS);
    }

    @Override
    protected CloudProvider connect(ProviderHttp http) {
        return new VultrCloud(http);
    }
}
