package io.vippanel.servers.internal.provider.aws;

import io.vippanel.servers.internal.provider.Region;
import io.vippanel.servers.internal.provider.Size;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;

/**
 * The regions and instance types an AWS account offers, with on-demand Linux prices.
 *
 * <p>The size catalog is that of the account's default region (an AWS account offers slightly different types in
 * each region, and each region's price differs): every size lists just that region. It is limited to the
 * current-generation x86_64 general-purpose families the provisioning playbooks are tested on.
 */
final class AwsCatalog {

    /** The instance families offered; AWS has hundreds of types, most of them no use for a web server. */
    static final List<String> FAMILIES = List.of("t3", "t3a", "m6i", "m7i", "c6i", "c7i");

    /**
     * Size of the gp3 root volume the panel gives every instance, shown as the size's disk. These families store
     * nothing on the instance itself; the volume is billed by EBS on top of the instance price.
     */
    static final int ROOT_VOLUME_GB = 30;

    /**
     * Hours in a month as AWS's pricing calculator counts them (24 × 365 / 12), for monthly prices.
     */
    static final BigDecimal HOURS_PER_MONTH = BigDecimal.valueOf(730);

    private static final Logger log = LoggerFactory.getLogger(AwsCatalog.class);

    private static final Map<String, String> REGION_NAMES = Map.ofEntries(
            Map.entry("us-east-1", "US East (N. Virginia)"), Map.entry("us-east-2", "US East (Ohio)"),
            Map.entry("us-west-1", "US West (N. California)"), Map.entry("us-west-2", "US West (Oregon)"),
            Map.entry("ca-central-1", "Canada (Central)"), Map.entry("sa-east-1", "South America (São Paulo)"),
            Map.entry("eu-central-1", "Europe (Frankfurt)"), Map.entry("eu-central-2", "Europe (Zurich)"),
            Map.entry("eu-west-1", "Europe (Ireland)"), Map.entry("eu-west-2", "Europe (London)"),
            Map.entry("eu-west-3", "Europe (Paris)"), Map.entry("eu-north-1", "Europe (Stockholm)"),
            Map.entry("eu-south-1", "Europe (Milan)"), Map.entry("eu-south-2", "Europe (Spain)"),
            Map.entry("ap-south-1", "Asia Pacific (Mumbai)"), Map.entry("ap-northeast-1", "Asia Pacific (Tokyo)"),
            Map.entry("ap-northeast-2", "Asia Pacific (Seoul)"), Map.entry("ap-northeast-3", "Asia Pacific (Osaka)"),
            Map.entry("ap-southeast-1", "Asia Pacific (Singapore)"),
            Map.entry("ap-southeast-2", "Asia Pacific (Sydney)"));

    private static final Map<String, String> REGION_COUNTRIES = Map.ofEntries(
            Map.entry("us-east-1", "US"), Map.entry("us-east-2", "US"), Map.entry("us-west-1", "US"),
            Map.entry("us-west-2", "US"), Map.entry("ca-central-1", "CA"), Map.entry("sa-east-1", "BR"),
            Map.entry("eu-central-1", "DE"), Map.entry("eu-central-2", "CH"), Map.entry("eu-west-1", "IE"),
            Map.entry("eu-west-2", "GB"), Map.entry("eu-west-3", "FR"), Map.entry("eu-north-1", "SE"),
            Map.entry("eu-south-1", "IT"), Map.entry("eu-south-2", "ES"), Map.entry("ap-south-1", "IN"),
            Map.entry("ap-northeast-1", "JP"), Map.entry("ap-northeast-2", "KR"), Map.entry("ap-northeast-3", "JP"),
            Map.entry("ap-southeast-1", "SG"), Map.entry("ap-southeast-2", "AU"));

    private final AwsClients clients;
    private final AwsPriceList priceList;

    AwsCatalog(AwsClients clients) {
        this.clients = clients;
        this.priceList = new AwsPriceList(clients);
    }

    /** The regions enabled for the account, named for people where the name is known. */
    List<Region> regions() {
        return clients.ec2().describeRegions().regions().stream()
                .map(region -> region.regionName())
                .sorted()
                .map(id -> new Region(id, REGION_NAMES.getOrDefault(id, id), REGION_COUNTRIES.get(id)))
                .toList();
    }

    List<Size> sizes() {
        String region = clients.defaultRegion();
        List<InstanceTypeInfo> types = clients.ec2().describeInstanceTypesPaginator(request -> request.filters(
                        filter("current-generation", "true"),
                        filter("processor-info.supported-architecture", "x86_64"),
                        Filter.builder().name("instance-type").values(FAMILIES.stream().map(f -> f + ".*").toList()).build()))
                .instanceTypes().stream()
                .filter(type -> FAMILIES.contains(familyOf(type.instanceTypeAsString())))
                .toList();
        Map<String, BigDecimal> hourly = prices(region,
                types.stream().map(InstanceTypeInfo::instanceTypeAsString).collect(Collectors.toSet()));
        return types.stream()
                .map(type -> size(type, hourly.get(type.instanceTypeAsString()), region))
                .sorted(Comparator.comparingInt((Size size) -> FAMILIES.indexOf(familyOf(size.id())))
                        .thenComparingInt(Size::vcpus).thenComparingInt(Size::memoryMb))
                .toList();
    }

    /** Prices, or none at all when the Price List API fails or the keys may not use it: no price is invented. */
    private Map<String, BigDecimal> prices(String region, Set<String> instanceTypes) {
        if (instanceTypes.isEmpty()) {
            return Map.of();
        }
        try {
            return priceList.hourlyUsd(region, instanceTypes);
        } catch (AwsPriceList.PriceListUnavailable failure) {
            log.warn("AWS prices are unknown for {}: {}", region, failure.getMessage());
            return Map.of();
        }
    }

    private static Size size(InstanceTypeInfo type, @Nullable BigDecimal hourly, String region) {
        int vcpus = type.vCpuInfo() == null || type.vCpuInfo().defaultVCpus() == null ? 0 : type.vCpuInfo().defaultVCpus();
        long memoryMib = type.memoryInfo() == null || type.memoryInfo().sizeInMiB() == null ? 0 : type.memoryInfo().sizeInMiB();
        BigDecimal monthly = hourly == null ? null : hourly.multiply(HOURS_PER_MONTH).setScale(2, RoundingMode.HALF_UP);
        String description = "%s: %d vCPU, %s GiB RAM, %d GB gp3 root volume (EBS billed separately)".formatted(
                type.instanceTypeAsString(), vcpus,
                BigDecimal.valueOf(memoryMib).divide(BigDecimal.valueOf(1024), 1, RoundingMode.HALF_UP).stripTrailingZeros()
                        .toPlainString(),
                ROOT_VOLUME_GB);
        return new Size(type.instanceTypeAsString(), description, vcpus, Math.toIntExact(memoryMib), ROOT_VOLUME_GB,
                monthly, hourly, "USD", List.of(region));
    }

    static String familyOf(String instanceType) {
        int dot = instanceType.indexOf('.');
        return dot < 0 ? instanceType : instanceType.substring(0, dot);
    }

    static Filter filter(String name, String... values) {
        return Filter.builder().name(name).values(values).build();
    }
}
