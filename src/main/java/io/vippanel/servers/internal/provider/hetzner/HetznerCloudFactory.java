package io.vippanel.servers.internal.provider.hetzner;

import io.vippanel.platform.VipProperties;
import io.vippanel.servers.ProviderKind;
import io.vippanel.servers.internal.provider.CloudProvider;
import io.vippanel.servers.internal.provider.CloudProviderFactory;
import io.vippanel.servers.internal.provider.ProviderCredentials;
import io.vippanel.servers.internal.provider.http.ErrorFormat;
import io.vippanel.servers.internal.provider.http.ProviderError;
import io.vippanel.servers.internal.provider.http.ProviderHttp;
import io.vippanel.servers.internal.provider.hetzner.HetznerJson.ErrorBody;
import java.util.Set;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/** Connects to Hetzner Cloud projects with their API tokens; one HTTP client shared by every project. */
@Component
public class HetznerCloudFactory implements CloudProviderFactory {

    /** Hetzner: {@code {"error":{"code":"invalid_input","message":"..."}}}. */
    private static final ErrorFormat<ErrorBody> ERRORS = new ErrorFormat<>(ErrorBody.class, body -> body.error() == null
            ? new ProviderError(null, null, null)
            : new ProviderError(body.error().code(), body.error().message(), null),
            Set.of("resource_limit_exceeded"));

    private final VipProperties.Providers settings;
    private final RestClient client;

    @Autowired
    public HetznerCloudFactory(VipProperties properties) {
        this(properties.providers());
    }

    public HetznerCloudFactory(VipProperties.Providers settings) {
        this.settings = settings;
        this.client = ProviderHttp.restClient(settings);
    }

    @Override
    public ProviderKind kind() {
        return ProviderKind.HETZNER;
    }

    @Override
    public CloudProvider connect(ProviderCredentials credentials) {
        return new HetznerCloud(new ProviderHttp(kind(), client, settings.hetznerUrl(),
                ProviderHttp.apiToken(kind(), credentials), settings, ERRORS));
    }
}
