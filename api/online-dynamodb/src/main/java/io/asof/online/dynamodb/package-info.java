/**
 * The online store on Amazon DynamoDB: {@link io.asof.online.dynamodb.DynamoDbOnlineStore}, its
 * item codec, and the raw batch calls the benchmarks compare it with. AWS SDK types never leave
 * this module.
 */
package io.asof.online.dynamodb;
