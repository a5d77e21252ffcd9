package io.vippanel.dns;

import java.time.Duration;
import java.util.List;

/**
 * What {@link DnsChallenges#publish} added to a zone, the handle for {@link DnsChallenges#remove}.
 *
 * @param zoneId      the zone that holds the records
 * @param recordName  the owner name, absolute, lower case, without the trailing dot ({@code _acme-challenge.example.com})
 * @param values      the TXT values publish added (unquoted); values the name already had are not listed, so remove
 *                    keeps them
 * @param propagation how long it took from handing the records to the provider until every server answered them
 */
public record PublishedChallenge(String zoneId, String recordName, List<String> values, Duration propagation) {

    public PublishedChallenge {
        values = List.copyOf(values);
    }
}
