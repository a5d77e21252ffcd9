package io.vippanel.servers.provider.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * GetProducts answers of the AWS Price List API for the stub: every {@code PriceList} entry is a JSON document in a
 * string, as AWS sends it, two pages linked by {@code NextToken}.
 */
final class Ec2StubPricing {

    /** Linux on-demand USD per hour; c7i.xlarge is left out on purpose (a type AWS has no price for yet). */
    static final Map<String, String> HOURLY = Map.of("t3.nano", "0.0060000000", "t3.micro", "0.0120000000",
            "t3.small", "0.0240000000", "t3.medium", "0.0480000000", "t3a.small", "0.0216000000",
            "m6i.large", "0.1150000000", "m7i.large", "0.1209600000", "c6i.large", "0.0970000000",
            "m5.large", "0.1150000000");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Ec2StubPricing() {
    }

    static String getProducts(String requestBody, List<String> instanceTypes) {
        JsonNode request = JSON.readTree(requestBody);
        String region = "";
        for (JsonNode filter : request.path("Filters")) {
            if (filter.path("Field").asString().equals("regionCode")) {
                region = filter.path("Value").asString();
            }
        }
        List<String> priced = new ArrayList<>(instanceTypes.stream().filter(HOURLY::containsKey).toList());
        int half = priced.size() / 2;
        boolean first = !request.has("NextToken");
        ObjectNode answer = JSON.createObjectNode().put("FormatVersion", "aws_v1");
        ArrayNode list = answer.putArray("PriceList");
        for (String type : first ? priced.subList(0, half) : priced.subList(half, priced.size())) {
            list.add(JSON.writeValueAsString(entry(type, region)));
        }
        if (first) {
            answer.put("NextToken", "page-2");
        }
        return JSON.writeValueAsString(answer);
    }

    private static ObjectNode entry(String type, String region) {
        String sku = "SKU" + Math.abs(type.hashCode());
        ObjectNode entry = JSON.createObjectNode();
        ObjectNode product = entry.putObject("product").put("productFamily", "Compute Instance").put("sku", sku);
        product.putObject("attributes").put("instanceType", type).put("regionCode", region)
                .put("location", "EU (Frankfurt)").put("operatingSystem", "Linux").put("tenancy", "Shared")
                .put("preInstalledSw", "NA").put("capacitystatus", "Used").put("licenseModel", "No License required")
                .put("servicecode", "AmazonEC2");
        entry.put("serviceCode", "AmazonEC2");
        ObjectNode term = entry.putObject("terms").putObject("OnDemand").putObject(sku + ".JRTCKXETXF")
                .put("sku", sku).put("offerTermCode", "JRTCKXETXF").put("effectiveDate", "2026-11-01T00:00:00Z");
        term.putObject("priceDimensions").putObject(sku + ".JRTCKXETXF.6YS6EN2CT7")
                .put("unit", "Hrs").put("beginRange", "0").put("endRange", "Inf")
                .put("description", "$" + HOURLY.get(type) + " per On Demand Linux " + type + " Instance Hour")
                .put("rateCode", sku + ".JRTCKXETXF.6YS6EN2CT7")
                .putObject("pricePerUnit").put("USD", HOURLY.get(type));
        term.putObject("termAttributes");
        entry.put("version", "20261101000000").put("publicationDate", "2026-11-01T00:00:00Z");
        return entry;
    }
}
