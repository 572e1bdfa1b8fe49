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
});
