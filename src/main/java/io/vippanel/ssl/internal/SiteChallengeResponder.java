package io.vippanel.ssl.internal;

import io.vippanel.dns.DnsChallenges;
import io.vippanel.dns.PublishedChallenge;
import io.vippanel.jobs.JobContext;
import io.vippanel.sites.SitePlaybooks;
import io.vippanel.sites.SitePlaybooks.SiteHost;
import io.vippanel.ssl.internal.acme.AcmeChallenge;
import io.vippanel.ssl.internal.acme.ChallengeResponder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Answers a site's ACME challenges: HTTP-01 tokens as files the site's nginx serves from its panel-managed
 * {@code /.well-known/acme-challenge/} location, DNS-01 values as TXT records in the tenant's managed zone, published
 * and waited for until every server of the zone answers them.
 */
final class SiteChallengeResponder implements ChallengeResponder {

    private static final Duration PLAYBOOK_TIMEOUT = Duration.ofMinutes(3);

    private final JobContext job;
    private final SiteHost site;
    private final SitePlaybooks sites;
    private final DnsChallenges dns;
    private final Map<String, Long> timings;
    private final List<PublishedChallenge> published = new ArrayList<>();

    SiteChallengeResponder(JobContext job, SiteHost site, SitePlaybooks sites, DnsChallenges dns, Map<String, Long> timings) {
        this.job = job;
        this.site = site;
        this.sites = sites;
        this.dns = dns;
        this.timings = timings;
    }

    @Override
    public void present(List<AcmeChallenge> challenges) {
        List<AcmeChallenge.Http01> files = http(challenges);
        if (!files.isEmpty()) {
            job.info("Serving " + files.size() + " HTTP-01 answer" + (files.size() == 1 ? "" : "s") + " from " + site.domain()
                    + "/.well-known/acme-challenge/.");
            challengeFiles(files, "present");
        }
        Map<String, List<String>> records = txt(challenges);
        if (!records.isEmpty()) {
            long start = System.nanoTime();
            records.forEach((name, values) -> published.add(dns.publish(job, site.tenantPath(), name, values)));
            timings.put("dns", CertificateWork.elapsedMillis(start));
        }
    }

    @Override
    public void cleanUp(List<AcmeChallenge> challenges) {
        List<AcmeChallenge.Http01> files = http(challenges);
        @Nullable RuntimeException failure = null;
        try {
            if (!files.isEmpty()) {
                challengeFiles(files, "absent");
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        published.forEach(challenge -> dns.remove(job, challenge));
        published.clear();
        if (failure != null) {
            throw failure;
        }
    }

    private void challengeFiles(List<AcmeChallenge.Http01> files, String state) {
        Map<String, @Nullable Object> vars = new LinkedHashMap<>();
        vars.put("acme_state", state);
        vars.put("acme_challenges", files.stream().map(file -> Map.of("token", file.token(), "content", file.content())).toList());
        sites.run(job, site.id(), CertificateWork.CHALLENGE_PLAYBOOK, vars, Set.of(), PLAYBOOK_TIMEOUT);
    }

    private static List<AcmeChallenge.Http01> http(List<AcmeChallenge> challenges) {
        return challenges.stream().filter(AcmeChallenge.Http01.class::isInstance).map(AcmeChallenge.Http01.class::cast).toList();
    }

    /** DNS-01 values by record name: a wildcard and its base name share one name, so their values go out together. */
    private static Map<String, List<String>> txt(List<AcmeChallenge> challenges) {
        Map<String, List<String>> records = new LinkedHashMap<>();
        for (AcmeChallenge challenge : challenges) {
            if (challenge instanceof AcmeChallenge.Dns01 record) {
                records.computeIfAbsent(record.recordName(), name -> new ArrayList<>()).add(record.txtValue());
            }
        }
        return records;
    }
}
