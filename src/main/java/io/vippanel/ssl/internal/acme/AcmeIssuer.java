package io.vippanel.ssl.internal.acme;

import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.OrderBuilder;
import org.shredzone.acme4j.PollableResource;
import org.shredzone.acme4j.RenewalInfo;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.challenge.Dns01Challenge;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeLazyLoadingException;
import org.shredzone.acme4j.exception.AcmeProtocolException;

/**
 * Orders certificates: creates the order, has a {@link ChallengeResponder} answer every pending authorization, waits
 * for the CA to validate them, finalizes with a fresh key and downloads the chain. Blocks until done; stateless, so one
 * instance serves every account and thread.
 */
public final class AcmeIssuer {

    private static final int SUBJECT_ALTERNATIVE_NAME_DNS = 2;

    private final AcmePolling polling;

    public AcmeIssuer(AcmePolling polling) {
        this.polling = polling;
    }

    /**
     * Orders, proves and downloads a certificate for the request's names.
     *
     * @throws AcmeFailure with the CA's problem detail when any step fails
     */
    public IssuedCertificate issue(AcmeAccount account, CertificateRequest request, ChallengeResponder responder,
                                   IssuanceListener listener) {
        try {
            Step step = Step.start(listener, IssuanceStep.ORDER, String.join(", ", request.names()));
            Order order = createOrder(account, request);
            List<AcmeChallenge> answers = new ArrayList<>();
            List<Challenge> challenges = new ArrayList<>();
            for (Authorization authorization : order.getAuthorizations()) {
                if (authorization.getStatus() == Status.PENDING) {
                    Challenge challenge = pick(authorization, request.challenges());
                    challenges.add(challenge);
                    answers.add(answer(authorization, challenge));
                }
            }
            step.finish();

            step = Step.start(listener, IssuanceStep.CHALLENGE, describe(answers));
            if (!answers.isEmpty()) {
                prove(responder, answers, challenges);
            }
            step.finish();

            step = Step.start(listener, IssuanceStep.FINALIZE, request.keyType().name());
            KeyPair certificateKey = request.keyType() == CertificateKeyType.RSA_2048
                    ? AcmeKeys.newRsa2048() : AcmeKeys.newEcP256();
            awaitStatus(order, Set.of(Status.READY, Status.INVALID), "the order to become ready");
            requireStatus(order, Status.READY);
            order.execute(certificateKey);
            awaitStatus(order, Set.of(Status.VALID, Status.INVALID), "the certificate to be issued");
            requireStatus(order, Status.VALID);
            step.finish();

            step = Step.start(listener, IssuanceStep.DOWNLOAD, order.getLocation().toString());
            IssuedCertificate issued = download(order.getCertificate(), certificateKey);
            step.finish();
            return issued;
        } catch (AcmeException e) {
            throw AcmeFailure.from(e, "ordering the certificate");
        } catch (AcmeLazyLoadingException e) {
            throw e.getCause() instanceof AcmeException cause ? AcmeFailure.from(cause, "reading from the CA")
                    : AcmeFailure.of(AcmeFailure.Reason.REFUSED, "reading from the CA: " + e.getMessage());
        } catch (AcmeProtocolException e) {
            throw AcmeFailure.of(AcmeFailure.Reason.REFUSED, "the CA's answer was not understood: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AcmeFailure.of(AcmeFailure.Reason.TIMED_OUT, "interrupted while waiting for the CA");
        }
    }

    /**
     * The CA's suggested renewal window for the certificate in this PEM chain; empty when the CA offers no renewal
     * information.
     */
    public Optional<RenewalWindow> renewalWindow(AcmeAccount account, String chainPem) {
        if (!account.directory().offersRenewalInfo()) {
            return Optional.empty();
        }
        try {
            RenewalInfo info = account.login().bindRenewalInfo(firstCertificate(chainPem));
            Instant checkAgain = info.fetch().orElse(null);
            return Optional.of(new RenewalWindow(info.getSuggestedWindowStart(), info.getSuggestedWindowEnd(),
                    info.getExplanation().orElse(null), checkAgain));
        } catch (AcmeException e) {
            throw AcmeFailure.from(e, "reading the renewal information");
        } catch (AcmeProtocolException e) {
            throw AcmeFailure.of(AcmeFailure.Reason.REFUSED, "the CA's renewal information was not understood: "
                    + e.getMessage());
        }
    }

    private static Order createOrder(AcmeAccount account, CertificateRequest request) throws AcmeException {
        OrderBuilder builder = account.login().newOrder().domains(request.names());
        Optional<String> replaced = request.replaces();
        // Without renewal information the CA knows no "replaces" field and acme4j refuses to send it.
        if (replaced.isPresent() && account.directory().offersRenewalInfo()) {
            builder.replaces(firstCertificate(replaced.get()));
        }
        return builder.create();
    }

    private static Challenge pick(Authorization authorization, ChallengeChoice choice) {
        boolean dns = choice == ChallengeChoice.DNS_01 || authorization.isWildcard();
        String type = dns ? Dns01Challenge.TYPE : Http01Challenge.TYPE;
        return authorization.findChallenge(type).orElseThrow(() -> AcmeFailure.of(AcmeFailure.Reason.REFUSED,
                "the CA offers no " + type + " challenge for " + nameOf(authorization) + "; it offers "
                        + authorization.getChallenges().stream().map(Challenge::getType).toList()));
    }

    private static AcmeChallenge answer(Authorization authorization, Challenge challenge) {
        String name = nameOf(authorization);
        return switch (challenge) {
            case Http01Challenge http -> new AcmeChallenge.Http01(name, http.getToken(), http.getAuthorization());
            case Dns01Challenge dns -> {
                String recordName = dns.getRRName(authorization.getIdentifier());
                yield new AcmeChallenge.Dns01(name, recordName.substring(0, recordName.length() - 1), dns.getDigest());
            }
            default -> throw new IllegalStateException("unexpected challenge type " + challenge.getType());
        };
    }

    /** The ordered name: the CA reports a wildcard's identifier without its {@code *.}. */
    private static String nameOf(Authorization authorization) {
        String domain = authorization.getIdentifier().getDomain();
        return authorization.isWildcard() ? "*." + domain : domain;
    }

    private void prove(ChallengeResponder responder, List<AcmeChallenge> answers, List<Challenge> challenges)
            throws AcmeException, InterruptedException {
        Throwable failure = null;
        try {
            try {
                responder.present(answers);
            } catch (RuntimeException e) {
                throw new AcmeFailure(AcmeFailure.Reason.RESPONDER_FAILED, e.getMessage() == null
                        ? e.getClass().getSimpleName() : e.getMessage(), null, null, e);
            }
            for (Challenge challenge : challenges) {
                challenge.trigger();
            }
            for (int i = 0; i < challenges.size(); i++) {
                Challenge challenge = challenges.get(i);
                awaitStatus(challenge, Set.of(Status.VALID, Status.INVALID), "the " + challenge.getType()
                        + " challenge of " + answers.get(i).name());
                if (challenge.getStatus() != Status.VALID) {
                    throw challenge.getError()
                            .map(problem -> AcmeFailure.of(AcmeFailure.Reason.CHALLENGE_FAILED, problem))
                            .orElseGet(() -> AcmeFailure.of(AcmeFailure.Reason.CHALLENGE_FAILED, "the "
                                    + challenge.getType() + " challenge failed without a reason"));
                }
            }
        } catch (AcmeException | InterruptedException | RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            cleanUp(responder, answers, failure);
        }
    }

    private static void cleanUp(ChallengeResponder responder, List<AcmeChallenge> answers,
                                @Nullable Throwable failure) {
        try {
            responder.cleanUp(answers);
        } catch (RuntimeException e) {
            if (failure == null) {
                throw new AcmeFailure(AcmeFailure.Reason.RESPONDER_FAILED, "cleaning up the challenge answers: "
                        + e.getMessage(), null, null, e);
            }
            failure.addSuppressed(e);
        }
    }

    /** Polls with doubling delays; a later Retry-After from the CA wins over the delay. */
    private void awaitStatus(PollableResource resource, Set<Status> wanted, String what)
            throws AcmeException, InterruptedException {
        Instant deadline = Instant.now().plus(polling.timeout());
        Duration delay = polling.firstDelay();
        while (!wanted.contains(resource.getStatus())) {
            Instant next = Instant.now().plus(delay);
            if (next.isAfter(deadline)) {
                throw AcmeFailure.of(AcmeFailure.Reason.TIMED_OUT, "waited " + polling.timeout() + " for " + what
                        + "; it is still " + resource.getStatus().name().toLowerCase(Locale.ROOT));
            }
            Thread.sleep(delay.toMillis());
            Optional<Instant> retryAfter = resource.fetch();
            Duration doubled = delay.multipliedBy(2);
            delay = doubled.compareTo(polling.maxDelay()) > 0 ? polling.maxDelay() : doubled;
            if (retryAfter.isPresent()) {
                Duration asked = Duration.between(Instant.now(), retryAfter.get());
                delay = asked.compareTo(delay) > 0 ? asked : delay;
            }
        }
    }

    private static void requireStatus(Order order, Status wanted) {
        if (order.getStatus() != wanted) {
            throw order.getError()
                    .map(problem -> AcmeFailure.of(AcmeFailure.Reason.REFUSED, problem))
                    .orElseGet(() -> AcmeFailure.of(AcmeFailure.Reason.REFUSED, "the order is "
                            + order.getStatus().name().toLowerCase(Locale.ROOT) + ", not "
                            + wanted.name().toLowerCase(Locale.ROOT)));
        }
    }

    private static IssuedCertificate download(Certificate certificate, KeyPair certificateKey) throws AcmeException {
        certificate.download();
        StringWriter chain = new StringWriter();
        try {
            certificate.writeCertificate(chain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        X509Certificate leaf = certificate.getCertificate();
        return new IssuedCertificate(chain.toString(), AcmeKeys.toPem(certificateKey), leaf.getSerialNumber().toString(16),
                leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant(), dnsNames(leaf));
    }

    private static List<String> dnsNames(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            return names == null ? List.of() : names.stream()
                    .filter(entry -> entry.get(0) instanceof Integer kind && kind == SUBJECT_ALTERNATIVE_NAME_DNS)
                    .map(entry -> (String) entry.get(1))
                    .toList();
        } catch (CertificateParsingException e) {
            throw AcmeFailure.of(AcmeFailure.Reason.REFUSED, "the issued certificate's names cannot be read: "
                    + e.getMessage());
        }
    }

    private static X509Certificate firstCertificate(String chainPem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(chainPem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("the certificate to renew is not a PEM certificate: " + e.getMessage());
        }
    }

    private static String describe(List<AcmeChallenge> answers) {
        if (answers.isEmpty()) {
            return "every name is already authorized";
        }
        return answers.size() + (answers.size() == 1 ? " challenge: " : " challenges: ") + answers.stream()
                .map(answer -> (answer instanceof AcmeChallenge.Http01 ? "HTTP-01 " : "DNS-01 ") + answer.name())
                .collect(Collectors.joining(", "));
    }

    /** A step's start time, so that its duration is reported on success only. */
    private record Step(IssuanceListener listener, IssuanceStep step, long startNanos) {

        static Step start(IssuanceListener listener, IssuanceStep step, String detail) {
            listener.started(step, detail);
            return new Step(listener, step, System.nanoTime());
        }

        void finish() {
            listener.finished(step, Duration.ofNanos(System.nanoTime() - startNanos));
        }
    }
}
