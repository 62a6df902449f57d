package io.connectha.startup;

import io.connectha.cluster.ClusterSpec;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the cluster model (the records of {@code io.connectha.cluster}, their enums, lists, string maps, strings,
 * numbers and booleans) as tagged values, and reads it back through each record's canonical
 * constructor. Generic over the records, so that adding a field needs nothing here.
 *
 * <p>Why not Java serialization: reading the model back with {@code ObjectInputStream} cost a fresh
 * JVM 55 ms (its record support builds method-handle chains per record class), about what
 * Jackson's binding costs. This costs a few milliseconds (measured).
 */
final class ModelCodec {

    private static final int NULL = 0;
    private static final int STRING = 1;
    private static final int INT = 2;
    private static final int LONG = 3;
    private static final int BOOLEAN = 4;
    private static final int ENUM = 5;
    private static final int LIST = 6;
    private static final int MAP = 7;
    private static final int RECORD = 8;

    /** Only this package's records and enums are ever created from an entry. */
    private static final String PACKAGE = ClusterSpec.class.getPackageName() + ".";
    private static final int MAX_ELEMENTS = 100_000;

    private final Map<String, Class<?>> classes = new HashMap<>();
    private final Map<Class<?>, Constructor<?>> constructors = new HashMap<>();
    private final Map<Class<?>, RecordComponent[]> components = new HashMap<>();

    static void write(DataOutputStream out, Object value) throws IOException {
        if (value == null) {
            out.writeByte(NULL);
        } else if (value instanceof String s) {
            out.writeByte(STRING);
            out.writeUTF(s);
        } else if (value instanceof Integer i) {
            out.writeByte(INT);
            out.writeInt(i);
        } else if (value instanceof Long l) {
            out.writeByte(LONG);
            out.writeLong(l);
        } else if (value instanceof Boolean b) {
            out.writeByte(BOOLEAN);
            out.writeBoolean(b);
        } else if (value instanceof Enum<?> e) {
            out.writeByte(ENUM);
            out.writeUTF(e.getDeclaringClass().getName());
            out.writeUTF(e.name());
        } else if (value instanceof List<?> list) {
            out.writeByte(LIST);
            out.writeInt(list.size());
            for (Object element : list) {
                write(out, element);
            }
        } else if (value instanceof Map<?, ?> map) {
            out.writeByte(MAP);
            out.writeInt(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                write(out, e.getKey());
                write(out, e.getValue());
            }
        } else if (value instanceof Record r && r.getClass().getName().startsWith(PACKAGE)) {
            out.writeByte(RECORD);
            out.writeUTF(r.getClass().getName());
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    write(out, c.getAccessor().invoke(r));
                } catch (ReflectiveOperationException e) {
                    throw new IOException("cannot read " + c.getName() + " of " + r.getClass().getSimpleName(), e);
                }
            }
        } else {
            throw new IOException("not part of the cluster model: " + value.getClass().getName());
        }
    }

    Object read(DataInputStream in) throws IOException {
        int tag = in.readUnsignedByte();
        switch (tag) {
            case NULL:
                return null;
            case STRING:
                return in.readUTF();
            case INT:
                return in.readInt();
            case LONG:
                return in.readLong();
            case BOOLEAN:
                return in.readBoolean();
            case ENUM:
                return enumConstant(modelClass(in.readUTF()), in.readUTF());
            case LIST: {
                int size = size(in);
                List<Object> list = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    list.add(read(in));
                }
                return Collections.unmodifiableList(list);
            }
            case MAP: {
                int size = size(in);
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < size; i++) {
                    map.put(read(in), read(in));
                }
                return Collections.unmodifiableMap(map);
            }
            case RECORD:
                return record(modelClass(in.readUTF()), in);
            default:
                throw new IOException("unknown tag " + tag);
        }
    }

    private Object record(Class<?> type, DataInputStream in) throws IOException {
        if (!type.isRecord()) {
            throw new IOException(type.getName() + " is not a record");
        }
        RecordComponent[] fields = components.computeIfAbsent(type, Class::getRecordComponents);
        Constructor<?> canonical = constructors.get(type);
        if (canonical == null) {
            Class<?>[] types = new Class<?>[fields.length];
            for (int i = 0; i < fields.length; i++) {
                types[i] = fields[i].getType();
            }
            try {
                canonical = type.getDeclaredConstructor(types);
            } catch (NoSuchMethodException e) {
                throw new IOException("no canonical constructor in " + type.getName(), e);
            }
            constructors.put(type, canonical);
        }
        Object[] args = new Object[fields.length];
        for (int i = 0; i < args.length; i++) {
            args[i] = read(in);
        }
        try {
            return canonical.newInstance(args);
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            throw new IOException("cannot create " + type.getSimpleName(), e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumConstant(Class<?> type, String name) throws IOException {
        if (!type.isEnum()) {
            throw new IOException(type.getName() + " is not an enum");
        }
        try {
            return Enum.valueOf((Class) type, name);
        } catch (IllegalArgumentException e) {
            throw new IOException("no " + name + " in " + type.getName(), e);
        }
    }

    private Class<?> modelClass(String name) throws IOException {
        Class<?> type = classes.get(name);
        if (type == null) {
            if (!name.startsWith(PACKAGE)) {
                throw new IOException(name + " is not part of the cluster model");
            }
            try {
                type = Class.forName(name, false, ModelCodec.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IOException("no class " + name, e);
            }
            classes.put(name, type);
        }
        return type;
    }

    private static int size(DataInputStream in) throws IOException {
        int size = in.readInt();
        if (size < 0 || size > MAX_ELEMENTS) {
            throw new IOException("implausible size " + size);
        }
        return size;
    }
}
