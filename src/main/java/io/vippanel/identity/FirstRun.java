package io.vippanel.identity;

import io.vippanel.platform.VipProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** On start of an API node with no superadmin yet, prints a one-time setup link to the console. */
@Component
class FirstRun {

    private static final Logger log = LoggerFactory.getLogger(FirstRun.class);

    private final Onboarding onboarding;
    private final VipProperties properties;

    FirstRun(Onboarding onboarding, VipProperties properties) {
        this.onboarding = onboarding;
        this.properties = properties;
    }

    @EventListener(ApplicationReadyEvent.class)
    void printSetupLink() {
        if (properties.isCli() || !properties.servesHttp()) {
            return;
        }
        onboarding.issueSetupLink().ifPresent(link -> log.warn("""

                ================================================================================
                 No superadmin exists yet. Open this one-time link (valid for 1 hour) to create one:

                   {}

                 (or run: ./vip-panel create-admin --email you@example.com --password-file FILE)
                ================================================================================""", link));
    }
}
