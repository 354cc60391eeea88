/** Alerts: the webhook an incident's opening and resolution are posted to ({@code lakehouse.alerts}). */
package dev.lakehouse.activities.alerts;
