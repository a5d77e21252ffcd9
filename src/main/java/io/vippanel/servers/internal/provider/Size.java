package io.vippanel.servers.internal.provider;

import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A VM size (server type, plan, droplet size, instance type) with its price.
 *
 * @param id           the provider's id ({@code cx22}, {@code s-1vcpu-1gb}, {@code vc2-1c-1gb}, {@code t3.small})
 * @param description  for people
 * @param monthlyPrice price per month in {@code currency} (excluding VAT where the provider distinguishes), null
 *                     when the provider does not say
 * @param hourlyPrice  price per hour, null when the provider does not say
 * @param currency     ISO 4217 code
 * @param regions      ids of the regions that offer this size
 */
public record Size(String id, String description, int vcpus, int memoryMb, int diskGb,
                   @Nullable BigDecimal monthlyPrice, @Nullable BigDecimal hourlyPrice, String currency,
                   List<String> regions) {

    public Size {
        regions = List.copyOf(regions);
    }

    public boolean offeredIn(String regionId) {
        return regions.contains(regionId);
    }
}
