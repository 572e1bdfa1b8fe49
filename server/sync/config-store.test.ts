import { describe, expect, it } from "vitest";
import { memoryInstance } from "../testing/memory-instance";
import { SyncConfig } from "./config-store";
import { SecretBox } from "./secrets";

describe("SyncConfig", () => {
  const setup = () => {
    const { db } = memoryInstance();
    const config = new SyncConfig(db, SecretBox.forTests());
    const remote = config.createRemote({
      name: "beta",
      baseUrl: "http://localhost:3001",
      externalId: "abc",
      outboundUser: "sync.alpha",
      outboundSecret: "s3cret",
      signingSecret: "whsec_x",
    });
    return { config, remote };
  };

  it("never returns secrets, and keeps them encrypted at rest", () => {
    const { config, remote } = setup();
    expect(remote).not.toHaveProperty("outboundSecret");
    expect(remote.hasOutboundSecret).toBe(true);
    expect(config.remote(remote.id).outboundSecret).not.toContain("s3cret");
    expect(config.credentials(remote.id).secret).toBe("s3cret");
  });

  it("updates only the fields sent: defaults never overwrite stored values", () => {
    const { config, remote } = setup();
    config.setRemoteState(remote.id, { outbound: "active", inbound: "active", message: "ok" });
    const updated = config.updateRemote(remote.id, { retryTimes: 2 });
    expect(updated).toMatchObject({
      retryTimes: 2,
      externalId: "abc",
      outboundState: "active",
      outboundUser: "sync.alpha",
    });
    expect(config.credentials(remote.id).secret).toBe("s3cret");
  });

  it("disables a remote whose connection changes until it is validated again", () => {
    const { config, remote } = setup();
    config.setRemoteState(remote.id, { outbound: "active", inbound: "active", message: "ok" });
    expect(config.updateRemote(remote.id, { baseUrl: "http://localhost:4001" })).toMatchObject({
      outboundState: "disabled",
      inboundState: "disabled",
    });
  });

  it("refuses invalid input with the field named", () => {
    const { config } = setup();
    expect(() => config.createRemote({ name: "x", baseUrl: "not a url" })).toThrow(
      /Connection must be a URL/,
    );
  });

  describe("editing definitions and events", () => {
    const withEvent = () => {
      const { config } = setup();
      const def = config.createDefinition({ name: "Hardware", description: "one way", domain: "acme" });
      const event = config.createEvent({ definitionId: def.id, name: "Hardware Request" });
      return { config, def, event };
    };

    it("updates a definition's name and description, keeping fields not sent", () => {
      const { config, def } = withEvent();
      const renamed = config.updateDefinition(def.id, { name: "Hardware requests" });
      expect(renamed).toMatchObject({ name: "Hardware requests", description: "one way", domain: "acme" });
      expect(renamed.updatedAt).toBeGreaterThanOrEqual(def.updatedAt);
      expect(config.updateDefinition(def.id, { description: "both ways" })).toMatchObject({
        name: "Hardware requests",
        description: "both ways",
        domain: "acme",
      });
    });

    it("renames an event, keeping its definition, and the hot paths see the new name", () => {
      const { config, def, event } = withEvent();
      expect(config.snapshot().eventsByName.has("Hardware Request")).toBe(true);
      const renamed = config.updateEvent(event.id, { name: "Hardware request v2" });
      expect(renamed).toMatchObject({ id: event.id, name: "Hardware request v2", definitionId: def.id });
      expect(config.snapshot().eventsByName.has("Hardware Request")).toBe(false);
      expect(config.snapshot().eventsByName.get("Hardware request v2")?.id).toBe(event.id);
      expect(config.updateEvent(event.id, {})).toMatchObject({ name: "Hardware request v2" });
    });

    it("answers 404 for a definition or event that does not exist", () => {
      const { config } = withEvent();
      expect(() => config.updateDefinition("nope", { name: "x" })).toThrow(
        expect.objectContaining({ status: 404 }),
      );
      expect(() => config.updateEvent("nope", { name: "x" })).toThrow(
        expect.objectContaining({ status: 404 }),
      );
      expect(() => config.updateEvent("nope", {})).toThrow(expect.objectContaining({ status: 404 }));
    });

    it("answers 409 when the new name is taken, and changes nothing", () => {
      const { config, def, event } = withEvent();
      const other = config.createDefinition({ name: "Changes" });
      config.createEvent({ definitionId: other.id, name: "Change Request" });
      expect(() => config.updateDefinition(def.id, { name: "Changes" })).toThrow(
        expect.objectContaining({ status: 409 }),
      );
      expect(() => config.updateEvent(event.id, { name: "Change Request" })).toThrow(
        expect.objectContaining({ status: 409 }),
      );
      expect(config.listDefinitions().find((d) => d.id === def.id)?.name).toBe("Hardware");
      expect(config.listEvents().find((e) => e.id === event.id)?.name).toBe("Hardware Request");
    });

    it("refuses an empty name with a message", () => {
      const { config, def, event } = withEvent();
      expect(() => config.updateDefinition(def.id, { name: "  " })).toThrow(/Name is required/);
      expect(() => config.updateEvent(event.id, { name: "" })).toThrow(/Name is required/);
    });
  });
});
