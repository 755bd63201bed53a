package io.facestream.services.common.security;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import java.util.List;

/**
 * One account, from {@code facestream.security.users.<name>}: a {@code password-hash} (see
 * {@link PasswordHash}) and {@code roles} ({@code viewer}, {@code operator}, {@code camera}). There are no
 * default accounts: a service without configured users lets nobody in.
 */
@EachProperty("facestream.security.users")
public record UserAccount(@Parameter String name, @Nullable String passwordHash, List<String> roles) {
}
