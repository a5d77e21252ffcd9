package io.vippanel.sites.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.Validation;
import io.vippanel.platform.web.ErrorResponses;
import io.vippanel.sites.Deployment;
import io.vippanel.sites.Deployments;
import io.vippanel.sites.internal.DeploymentConflict;
import io.vippanel.tenancy.Actor;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * {@code /api/v1/sites/{id}/deployments}: deploy (the branch, or an uploaded archive for static sites), list and read
 * deployments, roll back. One deployment at a time per site: another while one is under way answers 409.
 */
@RestController
@RequestMapping("/api/v1/sites/{siteId}/deployments")
@Tag(name = "Deployments", description = "Zero-downtime deployments of sites (releases and an atomic switch) and rollbacks.")
class DeploymentsApi {

    @Schema(name = "DeploymentPage")
    record DeploymentPage(List<SiteJson.DeploymentView> items, long total, int limit, int offset) {
    }

    private final Deployments deployments;

    DeploymentsApi(Deployments deployments) {
        this.deployments = deployments;
    }

    @GetMapping
    @Operation(summary = "List a site's deployments", description = "Newest first, rollbacks included.")
    DeploymentPage list(@AuthenticationPrincipal Actor actor, @PathVariable String siteId,
                        @RequestParam(defaultValue = "20") int limit, @RequestParam(defaultValue = "0") int offset) {
        Validation.requirePage(limit, offset, Deployments.MAX_PAGE);
        return new DeploymentPage(deployments.list(actor, siteId, limit, offset).stream().map(SiteJson.DeploymentView::of).toList(),
                deployments.count(actor, siteId), limit, offset);
    }

    @PostMapping
    @Operation(summary = "Deploy the site's branch", description = "Answers 202 with the deployment (queued) and its job, whose "
            + "log is the deployment's log; 409 while another deployment of the site is under way.")
    ResponseEntity<SiteJson.DeploymentView> deploy(@AuthenticationPrincipal Actor actor, @PathVariable String siteId) {
        return accepted(deployments.deploy(actor, siteId));
    }

    @PostMapping(path = "/archive", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Deploy an uploaded archive (static sites)", description = "Multipart form with the file in the part "
            + "\"archive\": a .tar.gz, .tgz or .zip of the site's files, at most vip.sites.max-archive-size.")
    ResponseEntity<SiteJson.DeploymentView> deployArchive(@AuthenticationPrincipal Actor actor, @PathVariable String siteId,
                                                          @Parameter(description = "The archive") @RequestParam(value = "archive", required = false)
                                                          @Nullable MultipartFile archive) throws IOException {
        if (archive == null || archive.isEmpty()) {
            deployments.count(actor, siteId);
            throw new InvalidInput("archive", "Attach the archive as the form part \"archive\".");
        }
        try (InputStream content = archive.getInputStream()) {
            String name = archive.getOriginalFilename() == null ? "" : archive.getOriginalFilename();
            return accepted(deployments.deployArchive(actor, siteId, name, content));
        }
    }

    @GetMapping("/{deploymentId}")
    @Operation(summary = "Get a deployment")
    SiteJson.DeploymentView get(@AuthenticationPrincipal Actor actor, @PathVariable String siteId, @PathVariable String deploymentId) {
        return SiteJson.DeploymentView.of(deployments.get(actor, siteId, deploymentId));
    }

    @PostMapping("/{deploymentId}/rollback")
    @Operation(summary = "Roll back to this deployment's release", description = "Only to a succeeded deployment whose release "
            + "is still kept; answers 202 with the rollback (a deployment of kind rollback).")
    ResponseEntity<SiteJson.DeploymentView> rollback(@AuthenticationPrincipal Actor actor, @PathVariable String siteId,
                                                     @PathVariable String deploymentId) {
        return accepted(deployments.rollback(actor, siteId, deploymentId));
    }

    @ExceptionHandler(DeploymentConflict.class)
    Object conflict(DeploymentConflict e, HttpServletRequest request) {
        return ErrorResponses.answer(request, HttpStatus.CONFLICT, e.getMessage(), Map.copyOf(e.fieldErrors()));
    }

    private static ResponseEntity<SiteJson.DeploymentView> accepted(Deployment deployment) {
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(URI.create("/api/v1/sites/" + deployment.siteId() + "/deployments/" + deployment.id()))
                .body(SiteJson.DeploymentView.of(deployment));
    }
}
