package io.connectha.render;

public enum OutputFormat { table, json, yaml }
