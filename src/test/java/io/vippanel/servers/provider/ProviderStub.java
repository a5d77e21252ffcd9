package io.vippanel.servers.provider;

import io.vippanel.servers.internal.provider.VmSpec;
import io.vippanel.servers.provider.StubServer.Reply;
import io.vippanel.servers.provider.StubServer.Request;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The state a provider stub keeps (keys, VMs, asynchronous actions) and what every provider's stub answers the
 * shared contract tests with; subclasses add the provider's paths and JSON shapes.
 */
abstract class ProviderStub implements AutoCloseable {

    static final String TOKEN = "vip-test-token-5ecr3t-0123456789";

    /** A VM in the stub; it boots after {@link #bootPolls} reads. */
    static final class StubVm {
        final String id;
        final String name;
        final String region;
        String size;
        final String image;
        final List<String> sshKeys;
        final Map<String, String> labels;
        String state = "starting";
        int reads;

        StubVm(String id, String name, String region, String size, String image, List<String> sshKeys,
               Map<String, String> labels) {
            this.id = id;
            this.name = name;
            this.region = region;
            this.size = size;
            this.image = image;
            this.sshKeys = sshKeys;
            this.labels = labels;
        }

        boolean running() {
            return state.equals("running");
        }
    }

    /** An asynchronous action that finishes after {@link #actionPolls} polls, then applies its effect. */
    static final class StubAction {
        final long id;
        final String type;
        final String vmId;
        final Runnable effect;
        final @Nullable String failure;
        int pollsLeft;
        String status = "running";

        StubAction(long id, String type, String vmId, int polls, Runnable effect, @Nullable String failure) {
            this.id = id;
            this.type = type;
            this.vmId = vmId;
            this.pollsLeft = polls;
            this.effect = effect;
            this.failure = failure;
        }
    }

    final StubServer server;
    final Map<String, StubVm> vms = new LinkedHashMap<>();
    final Map<String, String> keys = new LinkedHashMap<>();
    final Map<Long, StubAction> actions = new LinkedHashMap<>();
    final AtomicLong ids = new AtomicLong(1000);
    /** Catalog items per page at most, so that every catalog spans several pages. */
    int maxPerPage = 2;
    int bootPolls = 1;
    int actionPolls = 2;
    /** When set, the next action fails with this message. */
    @Nullable String nextActionFailure;

    ProviderStub(String basePath, Facts facts) {
        this.facts = facts;
        server = new StubServer(basePath, TOKEN, () -> error(401, "unauthorized", facts.unauthorizedMessage()));
    }

    /** The provider's error body for {@code status}. */
    abstract Reply error(int status, String code, String message);

    /** The provider's rate-limit headers (Hetzner and DigitalOcean), the reset time in epoch seconds. */
    static Reply rateLimited(Reply reply, Instant reset) {
        return reply.withHeader("RateLimit-Limit", "3600").withHeader("RateLimit-Remaining", "0")
                .withHeader("RateLimit-Reset", Long.toString(reset.getEpochSecond()));
    }

    /**
     * What the shared contract tests need to know of a provider's stub.
     *
     * @param unauthorizedMessage    what the provider says to a bad token
     * @param notFoundMessage        what the provider says of an unknown VM
     * @param sizeNotInRegionMessage what it says when a size is not offered in a region
     * @param spec                   a VM the stub accepts
     * @param biggerSize             a size the stub offers in that spec's region, other than the spec's
     * @param unofferedSpec          a VM whose size the stub does not offer in its region
     * @param regionsPath            regex of the path regions are read from
     * @param pollPath               regex of the path asynchronous work is polled at
     */
    record Facts(String unauthorizedMessage, String notFoundMessage, String sizeNotInRegionMessage, VmSpec spec, String biggerSize,
                 VmSpec unofferedSpec, String regionsPath, String pollPath) {
    }

    final Facts facts;

    /** The provider's ids, where numbers, look like numbers. */
    String newId() {
        return Long.toString(ids.incrementAndGet());
    }

    /** Starts an action; the failure queued with {@link #nextActionFailure}, if any, is its outcome. */
    synchronized StubAction startAction(String type, String vmId, Runnable effect) {
        long id = ids.incrementAndGet();
        StubAction action = new StubAction(id, type, vmId, actionPolls, effect, nextActionFailure);
        nextActionFailure = null;
        actions.put(id, action);
        return action;
    }

    /** Counts a poll; finishes the action after enough of them. */
    synchronized StubAction poll(long id) {
        StubAction action = actions.get(id);
        if (action != null && action.status.equals("running") && --action.pollsLeft <= 0) {
            if (action.failure == null) {
                action.effect.run();
                action.status = "success";
            } else {
                action.status = "error";
            }
        }
        return action;
    }

    /** Counts a read of a VM; boots it after enough of them. */
    synchronized @Nullable StubVm read(String id) {
        StubVm vm = vms.get(id);
        if (vm != null && vm.state.equals("starting") && ++vm.reads > bootPolls) {
            vm.state = "running";
        }
        return vm;
    }

    Reply notFound() {
        return error(404, "not_found", facts.notFoundMessage());
    }

    VmSpec spec() {
        return facts.spec();
    }

    /** How many polls the client made of asynchronous work. */
    int polls() {
        return server.requests("GET", facts.pollPath()).size();
    }

    static String text(JsonNode body, String field) {
        return body.path(field).asString();
    }

    static List<String> texts(JsonNode body, String field) {
        return body.path(field).valueStream().map(JsonNode::asString).toList();
    }

    String baseUrl() {
        return server.baseUrl();
    }

    /** The request's query page (from 1) and page size, capped at {@link #maxPerPage}. */
    int perPage(Request request) {
        return Math.min(maxPerPage, request.intQuery("per_page", 25));
    }

    @Override
    public void close() {
        server.close();
    }
}
