package dev.lakehouse.worker;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import com.google.inject.BindingAnnotation;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Qualifies the set of activity implementation objects the worker registers. Each outside system's module
 * binds its implementations (classes with an {@code @Inject} constructor, one instance each) and adds them with
 * {@link ActivityBinder#activities}:
 *
 * <pre>{@code
 * protected void configure() {
 *   bind(ModelActivitiesImpl.class).in(Scopes.SINGLETON);
 *   ActivityBinder.activities(binder()).addBinding().to(ModelActivitiesImpl.class);
 * }
 * }</pre>
 */
@BindingAnnotation
@Target({FIELD, PARAMETER, METHOD})
@Retention(RUNTIME)
public @interface ActivityImplementations {}
