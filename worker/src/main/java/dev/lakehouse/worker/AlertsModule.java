package dev.lakehouse.worker;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import dev.lakehouse.activities.alerts.AlertActivitiesImpl;

/** Alerts: the webhook of {@code lakehouse.alerts} (a no-op without one). */
final class AlertsModule extends AbstractModule {
  @Override
  protected void configure() {
    bind(AlertActivitiesImpl.class).in(Scopes.SINGLETON);
    ActivityBinder.activities(binder()).addBinding().to(AlertActivitiesImpl.class);
  }
}
