package dev.bridgework.web;

import io.vertx.ext.web.Router;

/** A feature's router and the path prefix it is mounted under ({@code /api/shares}, ...). */
public record FeatureRoutes(String prefix, Router router) {}
