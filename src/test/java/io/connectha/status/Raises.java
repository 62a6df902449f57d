package io.connectha.status;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The problem codes a judgment test covers. {@link ProblemCodesDocumentedTest} counts a documented code
 * as covered only when a test says so here, and {@link StatusJudgmentTest} fails a test whose judgment
 * did not raise every code it names.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface Raises {
    String[] value();
}
