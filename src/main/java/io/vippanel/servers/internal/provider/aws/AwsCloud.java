package io.vippanel.servers.internal.provider.aws;

import io.vippanel.servers.ProviderKind;
import io.vippanel.servers.internal.provider.CloudProvider;
import io.vippanel.servers.internal.provider.Image;
import io.vippanel.servers.internal.provider.ProviderException;
import io.vippanel.servers.internal.provider.ProviderException.Reason;
import io.vippanel.servers.internal.provider.ProviderSshKey;
import io.vippanel.servers.internal.provider.Region;
import io.vippanel.servers.internal.provider.Size;
import io.vippanel.servers.internal.provider.Vm;
import io.vippanel.servers.internal.provider.VmSpec;
import io.vippanel.servers.internal.provider.VmState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterface;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * One AWS account's EC2, as a {@link CloudProvider}.
 *
 * <p>Ids: a VM's id is {@code <region>/<instance id>} (see {@link AwsVmId}), so that every later call reaches the
 * region the instance lives in. An SSH key's id is its key pair name; it is imported into the default region and
 * copied into a VM's region when a VM there first needs it. The catalog ({@link #sizes}, {@link #images}) is that of
 * the default region.
 */
final class AwsCloud implements CloudProvider {

    private final AwsClients clients;
    private final AwsErrors errors;
    private final AwsCatalog catalog;
    private final AwsImages images;
    private final AwsLaunch launch;

    AwsCloud(AwsClients clients) {
        this.clients = clients;
        this.errors = clients.errors();
        this.catalog = new AwsCatalog(clients);
        this.images = new AwsImages(clients);
        this.launch = new AwsLaunch(clients, images);
    }

    @Override
    public ProviderKind kind() {
        return ProviderKind.AWS;
    }

    @Override
    public String verifyCredentials() {
        int regions = call(() -> clients.ec2().describeRegions().regions().size());
        return "AWS account reachable, " + regions + " regions";
    }

    @Override
    public List<Region> regions() {
        return call(catalog::regions);
    }

    /** The sizes of the default region, with Linux on-demand prices; prices are null when AWS would not say. */
    @Override
    public List<Size> sizes() {
        return call(catalog::sizes);
    }

    @Override
    public List<Image> images() {
        return call(images::images);
    }

    /** Imports the key into the default region; the returned id is the key pair name. */
    @Override
    public ProviderSshKey uploadSshKey(String name, String openSshPublicKey) {
        var imported = call(() -> clients.ec2().importKeyPair(request -> request.keyName(name)
                .publicKeyMaterial(SdkBytes.fromUtf8String(openSshPublicKey))));
        return new ProviderSshKey(imported.keyName(), imported.keyFingerprint());
    }

    /** Deletes the key pair in every enabled region (it may have been copied to the regions of VMs). */
    @Override
    public void deleteSshKey(String providerKeyId) {
        call(() -> {
            for (var region : clients.ec2().describeRegions().regions()) {
                tolerateMissing(() -> clients.ec2(region.regionName())
                        .deleteKeyPair(request -> request.keyName(providerKeyId)));
            }
            return null;
        });
    }

    @Override
    public Vm createVm(VmSpec spec) {
        Instance instance = call(() -> launch.run(spec));
        return toVm(spec.region(), instance);
    }

    @Override
    public Optional<Vm> findVm(String vmId) {
        AwsVmId id = AwsVmId.parse(vmId);
        return call(() -> describe(id)).map(instance -> toVm(id.region(), instance));
    }

    /** Asks EC2 to reboot; EC2 reports no progress for a reboot, so this returns once AWS accepted it. */
    @Override
    public void reboot(String vmId) {
        AwsVmId id = AwsVmId.parse(vmId);
        call(() -> ec2(id).rebootInstances(request -> request.instanceIds(id.instanceId())));
    }

    @Override
    public void powerOff(String vmId) {
        AwsVmId id = AwsVmId.parse(vmId);
        call(() -> ec2(id).stopInstances(request -> request.instanceIds(id.instanceId())));
        await(id, "stopped");
    }

    @Override
    public void powerOn(String vmId) {
        AwsVmId id = AwsVmId.parse(vmId);
        call(() -> ec2(id).startInstances(request -> request.instanceIds(id.instanceId())));
        await(id, "running");
    }

    /** Stops the instance, changes its type and starts it again (also when AWS refuses the new type). */
    @Override
    public void resize(String vmId, String sizeId) {
        AwsVmId id = AwsVmId.parse(vmId);
        powerOff(vmId);
        try {
            call(() -> ec2(id).modifyInstanceAttribute(request -> request.instanceId(id.instanceId())
                    .instanceType(type -> type.value(sizeId))));
        } catch (ProviderException refused) {
            try {
                powerOn(vmId);
            } catch (ProviderException alsoFailed) {
                refused.addSuppressed(alsoFailed);
            }
            throw refused;
        }
        powerOn(vmId);
    }

    @Override
    public void deleteVm(String vmId) {
        AwsVmId id = AwsVmId.parse(vmId);
        call(() -> {
            tolerateMissing(() -> ec2(id).terminateInstances(request -> request.instanceIds(id.instanceId())));
            return null;
        });
    }

    private Ec2Client ec2(AwsVmId id) {
        return clients.ec2(id.region());
    }

    private Optional<Instance> describe(AwsVmId id) {
        try {
            return ec2(id).describeInstances(request -> request.instanceIds(id.instanceId())).reservations().stream()
                    .flatMap(reservation -> reservation.instances().stream())
                    .filter(instance -> id.instanceId().equals(instance.instanceId()))
                    .findFirst();
        } catch (AwsServiceException failure) {
            if (AwsErrors.isNotFound(failure)) {
                return Optional.empty();
            }
            throw failure;
        }
    }

    /**
     * Polls the instance every {@code actionPollInterval} until it is in {@code state}, for at most
     * {@code actionTimeout}.
     */
    private void await(AwsVmId id, String state) {
        Duration interval = clients.settings().actionPollInterval();
        Instant deadline = Instant.now().plus(clients.settings().actionTimeout());
        String last = "unknown";
        while (true) {
            Optional<Instance> instance = call(() -> describe(id));
            if (instance.isEmpty()) {
                throw errors.failure(Reason.ACTION_FAILED, 0, "InvalidInstanceID.NotFound",
                        "The instance " + id + " disappeared while waiting for it to be " + state, null, null);
            }
            last = instance.get().state().nameAsString();
            if (state.equals(last)) {
                return;
            }
            if ("terminated".equals(last) || "shutting-down".equals(last)) {
                throw errors.failure(Reason.ACTION_FAILED, 0, null,
                        "The instance " + id + " is " + last + " instead of " + state, null, null);
            }
            if (Instant.now().plus(interval).isAfter(deadline)) {
                throw errors.failure(Reason.ACTION_FAILED, 0, null, "The instance " + id + " is still " + last
                        + " after " + clients.settings().actionTimeout() + "; expected " + state, null, null);
            }
            sleep(interval, id);
        }
    }

    private void sleep(Duration interval, AwsVmId id) {
        try {
            Thread.sleep(interval);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw errors.failure(Reason.ACTION_FAILED, 0, null, "Interrupted while waiting for " + id, null, interrupted);
        }
    }

    private Vm toVm(String region, Instance instance) {
        String loginUser = tag(instance, AwsLaunch.LOGIN_USER_TAG);
        if (loginUser == null) {
            loginUser = call(() -> images.loginUserOf(region, instance.imageId()));
        }
        String name = tag(instance, "Name");
        return new Vm(new AwsVmId(region, instance.instanceId()).value(), name == null ? instance.instanceId() : name,
                stateOf(instance.state() == null ? null : instance.state().nameAsString()),
                instance.publicIpAddress(), ipv6Of(instance), region, instance.instanceTypeAsString(), loginUser);
    }

    static VmState stateOf(@Nullable String state) {
        return switch (state == null ? "" : state) {
            case "pending" -> VmState.STARTING;
            case "running" -> VmState.RUNNING;
            case "stopping", "stopped" -> VmState.OFF;
            case "shutting-down", "terminated" -> VmState.DELETING;
            default -> VmState.UNKNOWN;
        };
    }

    private static @Nullable String ipv6Of(Instance instance) {
        if (instance.ipv6Address() != null) {
            return instance.ipv6Address();
        }
        return instance.networkInterfaces().stream()
                .map(InstanceNetworkInterface::ipv6Addresses)
                .flatMap(List::stream)
                .map(address -> address.ipv6Address())
                .findFirst().orElse(null);
    }

    private static @Nullable String tag(Instance instance, String key) {
        return instance.tags().stream().filter(tag -> key.equals(tag.key())).map(Tag::value).findFirst().orElse(null);
    }

    private static void tolerateMissing(Runnable call) {
        try {
            call.run();
        } catch (AwsServiceException failure) {
            if (!AwsErrors.isNotFound(failure)) {
                throw failure;
            }
        }
    }

    private <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (SdkException failure) {
            throw errors.translate(failure);
        }
    }
}
