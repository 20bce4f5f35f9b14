package io.github.emailtracking.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import io.github.emailtracking.core.RegisteredEmail;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Campaigns scoped to organisations by a token claim, and erasing one recipient. */
class TenantAndErasureRoutesTest extends RouteTestSupport {

    @BeforeEach
    void useTenants() throws Exception {
        restartWith(TrackingServlet.builder().hmacSecret(Tokens.SECRET).tenantClaim("org"));
    }

    @Test
    void campaign_isSeenInsideItsTenantOnly() {
        String acmeAlice = bearer(token("alice", "acme", false));
        String campaignId = createCampaign(acmeAlice);

        int sameTenant = get("/campaign/" + campaignId, "Authorization", acmeAlice).statusCode();
        int otherTenant =
                get(
                                "/campaign/" + campaignId,
                                "Authorization",
                                bearer(token("alice", "globex", false)))
                        .statusCode();
        int tenantAdmin =
                get("/campaign/" + campaignId, "Authorization", bearer(token("boss", "acme", true)))
                        .statusCode();
        int otherAdmin =
                get(
                                "/campaign/" + campaignId,
                                "Authorization",
                                bearer(token("boss", "globex", true)))
                        .statusCode();
        int noTenant =
                get("/campaign/" + campaignId, "Authorization", bearer(Tokens.owner("alice")))
                        .statusCode();

        assertThat(sameTenant).isEqualTo(200);
        assertThat(otherTenant).isEqualTo(404);
        assertThat(tenantAdmin).isEqualTo(200);
        assertThat(otherAdmin).isEqualTo(404);
        assertThat(noTenant).isEqualTo(404);
    }

    @Test
    void erase_byAGlobalAdmin_removesTheRecipient_andKeepsTheFigures() {
        RegisteredEmail email = registerEmail("alice");
        tracker.recordOpen(
                email.trackingId().value(), io.github.emailtracking.core.ClientInfo.UNKNOWN);
        String admin = bearer(Tokens.admin("root"));
        String campaignId = store.findEmail(email.trackingId()).orElseThrow().campaignId().value();
        String before =
                json(get("/campaign/" + campaignId, "Authorization", admin))
                        .get("campaign")
                        .toString();

        HttpResponse<String> response =
                post(
                        "/erase",
                        "{\"recipientEmail\":\"Customer@Example.com\"}",
                        "Authorization",
                        admin);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("erasedEmails").asInt()).isEqualTo(1);
        assertThat(get("/status/" + email.trackingId(), "Authorization", admin).statusCode())
                .isEqualTo(404);
        assertThat(
                        json(get("/campaign/" + campaignId, "Authorization", admin))
                                .get("campaign")
                                .toString())
                .isEqualTo(before);
    }

    @Test
    void erase_byAnOwnerOrATenantAdmin_is403() {
        registerEmail("alice");
        String body = "{\"recipientEmail\":\"customer@example.com\"}";

        HttpResponse<String> owner =
                post("/erase", body, "Authorization", bearer(Tokens.owner("alice")));
        HttpResponse<String> tenantAdmin =
                post("/erase", body, "Authorization", bearer(token("boss", "acme", true)));

        assertThat(owner.statusCode()).isEqualTo(403);
        assertThat(tenantAdmin.statusCode()).isEqualTo(403);
    }

    @Test
    void tenantClaimThatIsNotText_is401_neverAnAdminOfEveryTenant() {
        RegisteredEmail email = registerEmail("alice");
        String body = "{\"recipientEmail\":\"customer@example.com\"}";
        List<String> tokens =
                List.of(
                        adminWithTenant(
                                builder -> builder.withArrayClaim("org", new String[] {"acme"})),
                        adminWithTenant(builder -> builder.withClaim("org", 5)),
                        adminWithTenant(builder -> builder.withClaim("org", false)),
                        adminWithTenant(builder -> builder.withClaim("org", "")),
                        adminWithTenant(builder -> builder.withNullClaim("org")));

        for (String token : tokens) {
            HttpResponse<String> erase = post("/erase", body, "Authorization", bearer(token));

            assertThat(erase.statusCode()).isEqualTo(401);
            assertThat(json(erase).get("message").asText())
                    .isEqualTo(
                            "the bearer token's org claim must be text naming an organisation, or"
                                    + " absent");
        }
        assertThat(
                        get(
                                        "/status/" + email.trackingId(),
                                        "Authorization",
                                        bearer(Tokens.owner("alice")))
                                .statusCode())
                .isEqualTo(200);
    }

    @Test
    void rolesClaimOfAnotherKind_is401_sayingWhatRolesMayBe() {
        RegisteredEmail email = registerEmail("alice");
        List<String> tokens =
                List.of(
                        withRoles(builder -> builder.withClaim("roles", 5)),
                        withRoles(builder -> builder.withClaim("roles", true)),
                        withRoles(builder -> builder.withClaim("roles", Map.of("admin", true))),
                        withRoles(builder -> builder.withClaim("roles", List.of("admin", 5))));

        for (String token : tokens) {
            HttpResponse<String> status =
                    get("/status/" + email.trackingId(), "Authorization", bearer(token));

            assertThat(status.statusCode()).isEqualTo(401);
            assertThat(json(status).get("message").asText())
                    .isEqualTo(
                            "the bearer token's roles claim must be a list of role names or a"
                                    + " string of them separated by spaces, or absent");
        }
    }

    @Test
    void rolesClaimAsListOrString_makesAnAdmin_andNullNone() {
        RegisteredEmail email = registerEmail("alice");
        String route = "/status/" + email.trackingId();

        String list = withRoles(builder -> builder.withClaim("roles", List.of("auditor", "admin")));
        String text = withRoles(builder -> builder.withClaim("roles", "auditor admin"));
        String none = withRoles(builder -> builder.withNullClaim("roles"));

        assertThat(get(route, "Authorization", bearer(list)).statusCode()).isEqualTo(200);
        assertThat(get(route, "Authorization", bearer(text)).statusCode()).isEqualTo(200);
        assertThat(get(route, "Authorization", bearer(none)).statusCode()).isEqualTo(404);
    }

    /** Returns a token of mallory's with the claims that {@code claims} adds. */
    private static String withRoles(Consumer<JWTCreator.Builder> claims) {
        JWTCreator.Builder builder =
                JWT.create()
                        .withSubject("mallory")
                        .withExpiresAt(Instant.now().plus(Duration.ofHours(1)));
        claims.accept(builder);
        return builder.sign(Algorithm.HMAC256(Tokens.SECRET));
    }

    private static String adminWithTenant(Consumer<JWTCreator.Builder> tenant) {
        return withRoles(
                builder -> tenant.accept(builder.withArrayClaim("roles", new String[] {"admin"})));
    }

    private String createCampaign(String authorization) {
        HttpResponse<String> response =
                post(
                        "/campaigns",
                        "{\"campaignName\":\"Tenant news\"}",
                        "Authorization",
                        authorization);
        return json(response).get("campaign").get("campaignId").asText();
    }

    private static String token(String subject, String tenant, boolean admin) {
        var builder =
                JWT.create()
                        .withSubject(subject)
                        .withClaim("org", tenant)
                        .withExpiresAt(Instant.now().plus(Duration.ofHours(1)));
        if (admin) {
            builder.withArrayClaim("roles", new String[] {"admin"});
        }
        return builder.sign(Algorithm.HMAC256(Tokens.SECRET));
    }
}
