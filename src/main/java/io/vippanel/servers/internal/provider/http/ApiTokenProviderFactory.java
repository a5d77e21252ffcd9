package io.vippanel.servers.internal.provider.http;

import io.vippanel.platform.VipProperties;
import io.vippanel.servers.ProviderKind;
import io.vippanel.servers.internal.provider.CloudProvider;
import io.vippanel.servers.internal.provider.CloudProviderFactory;
import io.vippanel.servers.internal.provider.ProviderCredentials;
import org.springframework.web.client.RestClient;

/**
 * The factory of a provider that takes one bearer API token: one HTTP client shared by every account, one
 * {@link ProviderHttp} per account.
 */
public abstract class ApiTokenProviderFactory implements CloudProviderFactory {

    private final ProviderKind kind;
    private final String baseUrl;
    private final VipProperties.Providers settings;
    private final ErrorFormat<?> errors;
    private final RestClient client;

    protected ApiTokenProviderFactory(ProviderKind kind, String baseUrl, VipProperties.Providers settings,
                                      ErrorFormat<?> errors) {
        this.kind = kind;
        this.baseUrl = baseUrl;
        this.settings = settings;
        this.errors = errors;
        this.client = ProviderHttp.restClient(settings);
    }

    /** The provider's client for one account. */
    protected abstract CloudProvider connect(ProviderHttp http);

    @Override
    public final ProviderKind kind() {
        return kind;
    }

    @Override
    public final CloudProvider connect(ProviderCredentials credentials) {
        return connect(new ProviderHttp(kind, client, baseUrl, ProviderHttp.apiToken(kind, credentials), settings, errors));
    }
}
