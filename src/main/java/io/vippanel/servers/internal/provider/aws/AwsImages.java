package io.vippanel.servers.internal.provider.aws;

import io.vippanel.servers.OsImage;
import io.vippanel.servers.internal.provider.Image;
import io.vippanel.servers.internal.provider.ProviderException.Reason;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeImagesRequest;

/**
 * The official Ubuntu (Canonical) and Debian AMIs for the operating systems the panel supports.
 *
 * <p>AMI ids differ per region: {@link #images()} lists those of the account's default region, and
 * {@link #resolveIn} finds the AMI of the same name (and owner) in the region a VM is created in.
 */
final class AwsImages {

    static final String CANONICAL = "099720109477";
    static final String DEBIAN = "136693071363";

    /** The AMI name patterns (EC2 filter wildcards) of each supported system; amd64 server images only. */
    private static final List<Official> OFFICIAL = List.of(
            new Official(OsImage.UBUNTU_22_04, CANONICAL, "ubuntu/images/hvm-ssd*/ubuntu-jammy-22.04-amd64-server-*"),
            new Official(OsImage.UBUNTU_24_04, CANONICAL, "ubuntu/images/hvm-ssd*/ubuntu-noble-24.04-amd64-server-*"),
            new Official(OsImage.DEBIAN_12, DEBIAN, "debian-12-amd64-*"),
            new Official(OsImage.DEBIAN_13, DEBIAN, "debian-13-amd64-*"));

    private final AwsClients clients;

    AwsImages(AwsClients clients) {
        this.clients = clients;
    }

    /** The newest AMI of each supported system in the default region, newest first. */
    List<Image> images() {
        Map<OsImage, software.amazon.awssdk.services.ec2.model.Image> newest = new EnumMap<>(OsImage.class);
        for (String owner : List.of(CANONICAL, DEBIAN)) {
            List<String> names = OFFICIAL.stream().filter(o -> o.owner.equals(owner)).map(Official::glob).toList();
            DescribeImagesRequest request = DescribeImagesRequest.builder()
                    .owners(owner)
                    .filters(AwsCatalog.filter("name", names.toArray(String[]::new)),
                            AwsCatalog.filter("architecture", "x86_64"),
                            AwsCatalog.filter("state", "available"))
                    .build();
            for (var ami : clients.ec2().describeImages(request).images()) {
                osOf(ami).ifPresent(os -> newest.merge(os, ami,
                        (kept, other) -> created(other).compareTo(created(kept)) > 0 ? other : kept));
            }
        }
        return newest.entrySet().stream()
                .sorted(Comparator.comparing(
                        (Map.Entry<OsImage, software.amazon.awssdk.services.ec2.model.Image> e) -> created(e.getValue()))
                        .reversed())
                .map(e -> new Image(e.getValue().imageId(), e.getKey(), e.getValue().name()))
                .toList();
    }

    /**
     * The AMI to launch in {@code region}: the given one when that region knows it, else the AMI of the same owner
     * and name there (the official images are published under one name in every region).
     */
    LaunchImage resolveIn(String region, String amiId) {
        Optional<software.amazon.awssdk.services.ec2.model.Image> local = describe(clients.ec2(region), amiId);
        if (local.isPresent()) {
            return LaunchImage.of(local.get());
        }
        if (!region.equals(clients.defaultRegion())) {
            var source = describe(clients.ec2(), amiId);
            if (source.isPresent() && source.get().name() != null) {
                var twin = clients.ec2(region).describeImages(request -> request
                        .owners(source.get().ownerId())
                        .filters(AwsCatalog.filter("name", source.get().name()))).images();
                if (!twin.isEmpty()) {
                    return LaunchImage.of(twin.getFirst());
                }
            }
        }
        throw clients.errors().failure(Reason.REJECTED, 400, "InvalidAMIID.NotFound",
                "The image " + amiId + " is not available in " + region, null, null);
    }

    /** The login user of the image an instance was made from, for instances the panel did not tag. */
    String loginUserOf(String region, @Nullable String amiId) {
        if (amiId == null) {
            return LaunchImage.DEFAULT_USER;
        }
        return describe(clients.ec2(region), amiId).map(LaunchImage::of).map(LaunchImage::loginUser)
                .orElse(LaunchImage.DEFAULT_USER);
    }

    private static Optional<software.amazon.awssdk.services.ec2.model.Image> describe(Ec2Client ec2, String amiId) {
        try {
            return ec2.describeImages(request -> request.imageIds(amiId)).images().stream().findFirst();
        } catch (AwsServiceException failure) {
            String code = code(failure);
            if (code != null && code.startsWith("InvalidAMIID.")) {
                return Optional.empty();
            }
            throw failure;
        }
    }

    private static @Nullable String code(AwsServiceException failure) {
        return failure.awsErrorDetails() == null ? null : failure.awsErrorDetails().errorCode();
    }

    private static Optional<OsImage> osOf(software.amazon.awssdk.services.ec2.model.Image ami) {
        String name = ami.name() == null ? "" : ami.name();
        return OFFICIAL.stream()
                .filter(o -> o.owner.equals(ami.ownerId()) && o.matches(name))
                .map(Official::os)
                .findFirst();
    }

    private static String created(software.amazon.awssdk.services.ec2.model.Image ami) {
        return ami.creationDate() == null ? "" : ami.creationDate();
    }

    /** An AMI ready to launch: its id in the target region, root device and the user its key is installed for. */
    record LaunchImage(String id, @Nullable String rootDeviceName, String loginUser) {

        /** Debian's images let in {@code admin}, Canonical's {@code ubuntu}; other images are taken as Ubuntu's. */
        static final String DEFAULT_USER = "ubuntu";

        static LaunchImage of(software.amazon.awssdk.services.ec2.model.Image ami) {
            String name = ami.name() == null ? "" : ami.name();
            boolean debian = DEBIAN.equals(ami.ownerId()) || name.startsWith("debian-");
            return new LaunchImage(ami.imageId(), ami.rootDeviceName(), debian ? "admin" : DEFAULT_USER);
        }
    }

    private record Official(OsImage os, String owner, String glob) {
        boolean matches(String name) {
            StringBuilder regex = new StringBuilder();
            for (String part : glob.split("\\*", -1)) {
                regex.append(regex.isEmpty() ? "" : ".*").append(Pattern.quote(part));
            }
            return name.matches(regex.toString());
        }
    }
}
