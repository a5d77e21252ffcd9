package io.vippanel.servers.internal.provider.digitalocean;

import io.vippanel.platform.VipProperties;
import io.vippanel.servers.ProviderKind;
import io.vippanel.servers.internal.provider.CloudProvider;
import io.vippanel.servers.internal.provider.digitalocean.DigitalOceanJson.ErrorBody;
import io.vippanel.servers.internal.provider.http.ApiTokenProviderFactory;
import io.vippanel.servers.internal.provider.http.ErrorFormat;
import io.vippanel.servers.internal.provider.http.ProviderError;
import io.vippanel.servers.internal.provider.http.ProviderHttp;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** Connects to DigitalOcean accounts with their personal access tokens. */
@Component
public class DigitalOceanCloudFactory extends ApiTokenProviderFactory {

    /** DigitalOcean: {@code {"id":"unprocessable_entity","message":"...","request_id":"..."}}. */
    private static final ErrorFormat<ErrorBody> ERRORS = new ErrorFormat<>(ErrorBody.class,
            body -> new ProviderError(body.id(), body.message(), body.requestId()));

    @Autowired
    public DigitalOceanCloudFactory(VipProperties properties) {
        this(properties.providers());
    }

    public DigitalOceanCloudFactory(VipProperties.Providers settings) {
        super(ProviderKind.DIGITALOCEAN, settings.digitaloceanUrl(), settings, ERRORS);
    }

    @Override
    protected CloudProvider connect(ProviderHttp http) {
        return new DigitalOceanCloud(http);
    }
}
