/** A Java client of Asof's push API, on the JDK's HttpClient alone. */
package io.asof.push.client;
